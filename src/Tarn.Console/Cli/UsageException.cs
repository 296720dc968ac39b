namespace Tarn.Console.Cli;

/// <summary>The command line cannot be understood; the console prints the message and usage and exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
