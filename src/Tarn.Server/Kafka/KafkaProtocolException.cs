namespace Tarn.Server.Kafka;

/// <summary>A malformed frame: the connection that sent it is closed; nothing else is affected.</summary>
internal sealed class KafkaProtocolException(string message) : Exception(message);
