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
}
