namespace Tarn.Sql.Ast;

/// <summary>SET 'key' = 'value', or plain SET (both null) which lists the session's options.</summary>
public sealed record SetStatement(string? Key, string? Value, SourcePosition Position) : Statement(Position);

/// <summary>RESET 'key', or plain RESET (null key) which resets all session options.</summary>
public sealed record ResetStatement(string? Key, SourcePosition Position) : Statement(Position);

/// <summary>STOP JOB 'id' [WITH SAVEPOINT] [WITH DRAIN].</summary>
public sealed record StopJobStatement(string JobId, bool WithSavepoint, bool WithDrain, SourcePosition Position) : Statement(Position);
