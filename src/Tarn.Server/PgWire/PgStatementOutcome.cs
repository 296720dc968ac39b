namespace Tarn.Server.PgWire;

/// <summary>What one statement produced: a Tarn result (rows or not) and its CommandComplete tag; Empty for an empty query.</summary>
internal sealed record PgStatementOutcome(TarnResult? Result, string Tag)
{
    /// <summary>
    /// A single row with one void column named <see cref="Tag"/>'s function, as PostgreSQL answers
    /// <c>SELECT pg_advisory_unlock_all()</c> in Npgsql's reset string (Npgsql reads that answer message by message).
    /// </summary>
    public string? VoidFunction { get; init; }

    public static readonly PgStatementOutcome Empty = new(null, "");

    public bool IsEmpty => Result is null && Tag.Length == 0;

    public bool HasRows => Result is { HasRows: true };
}
