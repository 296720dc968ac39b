namespace Tarn.Server.PgWire;

/// <summary>SQLSTATEs only the wire protocol raises (the engine's own live in <see cref="SqlStates"/>).</summary>
internal static class PgSqlStates
{
    public const string ProtocolViolation = "08P01";
    public const string InvalidSqlStatementName = "26000";
    public const string InvalidCursorName = "34000";
}
