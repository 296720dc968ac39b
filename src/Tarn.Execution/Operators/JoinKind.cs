namespace Tarn.Execution.Operators;

/// <summary>
/// Join kinds. Inner/Left/Right/Full output the left columns then the right columns; Semi/Anti output the left
/// columns only (Semi: left rows with at least one match, once each; Anti: left rows with none, NOT EXISTS style).
/// </summary>
public enum JoinKind
{
    Inner,
    Left,
    Right,
    Full,
    Semi,
    Anti,
    /// <summary>Every left row plus a BOOLEAN mark: TRUE if a matching pair has the mark condition TRUE, NULL if pairs match but none has, FALSE if none matches.</summary>
    Mark,
    /// <summary>A left join that fails with 21000 when a left row matches more than one right row (scalar subqueries).</summary>
    Single,
}
