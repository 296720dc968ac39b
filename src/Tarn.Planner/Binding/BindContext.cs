using Tarn.Catalog;
using Tarn.Planner.Expressions;

namespace Tarn.Planner.Binding;

/// <summary>Everything binding needs besides the statement: the catalog, the session's position in it, parameters.</summary>
public sealed record BindContext(
    CatalogManager Catalog,
    string CurrentCatalog,
    string CurrentDatabase,
    IReadOnlyList<object?>? PositionalParameters,
    IReadOnlyDictionary<string, object?>? NamedParameters,
    TimeZoneInfo SessionTimeZone)
{
    /// <summary>Where NULLs sort when ORDER BY does not say (option <c>default_null_order</c>).</summary>
    public NullOrder DefaultNullOrder { get; init; } = NullOrder.NullsFirstOnAscLastOnDesc;
    /// <summary>DuckDB's <c>order_by_non_integer_literal</c> setting: ORDER BY TRUE / NULL / 'text' is accepted (and has no effect).</summary>
    public bool AllowOrderByNonIntegerLiteral { get; init; }
    /// <summary>
    /// When set, every parameter value the binder turns into a literal is recorded here with its 0-based position
    /// (-1 for a named parameter), so a plan cache can turn those literals back into parameter slots
    /// (<see cref="ParameterizedPlans"/>).
    /// </summary>
    public List<(BoundLiteral Literal, int Index)>? ParameterLiterals { get; init; }

    /// <summary>The session's temporary views by full path (case-insensitive); they shadow catalog objects.</summary>
    public IReadOnlyDictionary<string, Tarn.Catalog.Model.ViewDef>? TemporaryViews { get; init; }

    /// <summary>The session's temporary SQL functions by full path (case-insensitive); they shadow catalog functions.</summary>
    public IReadOnlyDictionary<string, Tarn.Catalog.Model.MacroDef>? TemporaryMacros { get; init; }

    /// <summary>
    /// Inside a multi-statement transaction: the version each table is read at (snapshot plus staged writes), or null
    /// for a table the transaction does not pin (then the newest committed version).
    /// </summary>
    public Func<long, Tarn.Storage.Tables.TableVersion?>? PinnedTables { get; init; }

    /// <summary>
    /// Virtual tables computed when a query names them (for example <c>tarn_jobs</c>, the streaming jobs): the name
    /// (lower case, unqualified) to a function returning the rows as a VALUES plan. Provided by the facade layer.
    /// </summary>
    public IReadOnlyDictionary<string, Func<Tarn.Planner.Logical.LogicalValues>>? SystemTables { get; init; }

    /// <summary>
    /// The privilege check of a session with a principal that is not a superuser (null = the owner, unchecked): called
    /// for every table or view a statement reads (SELECT) or inserts into (INSERT); throws SQLSTATE 42501 when missing.
    /// </summary>
    public Action<ObjectPath, Tarn.Catalog.Model.TablePrivileges, Tarn.SourcePosition>? Authorize { get; init; }

    public ObjectPath Resolve(IReadOnlyList<string> parts, Tarn.SourcePosition position) => parts.Count switch
    {
        1 => new ObjectPath(CurrentCatalog, CurrentDatabase, parts[0]),
        2 => new ObjectPath(CurrentCatalog, parts[0], parts[1]),
        3 => new ObjectPath(parts[0], parts[1], parts[2]),
        _ => throw new TarnException(SqlStates.SyntaxError, $"invalid object name '{string.Join('.', parts)}' at {position}", position),
    };
}
