namespace Tarn.Server.PgWire;

/// <summary>What one statement produced: a Tarn result (rows or not) and its CommandComplete tag; Empty for an empty query.</summary>
internal sealed record PgStatementOutcome(TarnResult? Result, string Tag)
{
    public static readonly PgStatementOutcome Empty = new(null, "");

    public bool IsEmpty => Result is null && Tag.Length == 0;

    public bool HasRows => Result is { HasRows: true };
}
