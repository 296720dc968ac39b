using Tarn.Types;

namespace Tarn;

/// <summary>
/// What a statement will answer, learned without running it (<see cref="TarnSession.Describe(string, TarnParameters)"/>):
/// its result columns (empty for a statement that returns no rows) and, per placeholder, the SQL type the statement
/// expects there when the binder can tell (a column it is compared with or inserted into), else null.
/// </summary>
public sealed record TarnStatementDescription(IReadOnlyList<TarnColumn> Columns, IReadOnlyList<DataType?> ParameterTypes)
{
    public bool ReturnsRows => Columns.Count > 0;
}
