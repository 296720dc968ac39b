using System.Data.Common;

namespace Tarn;

/// <summary>
/// The one exception type Tarn raises for errors a user can act on. <see cref="SqlState"/> carries a
/// PostgreSQL-style five-character code so the server can pass it to clients unchanged; <see cref="Position"/>
/// points into the statement text when the error came from parsing or binding.
/// </summary>
public class TarnException : DbException
{
    public TarnException(string sqlState, string message, Exception? inner = null)
        : base(message, inner)
    {
        SqlState = sqlState;
    }

    public TarnException(string sqlState, string message, SourcePosition position, Exception? inner = null)
        : base(message, inner)
    {
        SqlState = sqlState;
        Position = position;
    }

    /// <summary>Five-character SQLSTATE code, see <see cref="SqlStates"/>.</summary>
    public override string SqlState { get; }

    /// <summary>Where in the statement text the error was found, if it came from a statement.</summary>
    public SourcePosition? Position { get; }

    /// <summary>A file the error concerns (corruption, I/O), if any.</summary>
    public string? FilePath { get; init; }

    public override string ToString() => $"{SqlState}: {Message}";
}

/// <summary>1-based line and column in a statement's text.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
