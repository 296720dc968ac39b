namespace Tarn.Server.PgWire;

/// <summary>A malformed or unexpected frame: the connection answers with an ErrorResponse (08P01) and closes.</summary>
internal sealed class PgProtocolException(string message) : Exception(message);
