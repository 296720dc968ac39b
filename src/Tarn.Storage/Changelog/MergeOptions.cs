using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Storage.Changelog;

/// <summary>How the rows written to one key of a primary-key table combine (Paimon's <c>merge-engine</c>).</summary>
public enum MergeEngine
{
    /// <summary>The newest row replaces the key's value; a retraction deletes the key.</summary>
    Deduplicate,

    /// <summary>The non-NULL fields of a new row overwrite the key's value; NULL fields keep the old value.</summary>
    PartialUpdate,

    /// <summary>Every non-key field is combined with its own aggregate function.</summary>
    Aggregation,

    /// <summary>The first row of a key is kept; later rows of the key are ignored.</summary>
    FirstRow,
}

/// <summary>The aggregate function of one field of an aggregation table (<c>fields.&lt;col&gt;.aggregate-function</c>).</summary>
public enum FieldAggregate
{
    LastNonNullValue,
    LastValue,
    FirstValue,
    FirstNonNullValue,
    Sum,
    Product,
    Min,
    Max,
    Count,
    ListAgg,
    BoolAnd,
    BoolOr,
}

/// <summary>A table option that is wrong; <see cref="Key"/> names it so the caller can point at its position.</summary>
public sealed class MergeOptionException(string sqlState, string key, string message) : TarnException(sqlState, message)
{
    public string Key { get; } = key;
}

/// <summary>
/// The merge options of a primary-key table, parsed from its table options (storage-spec DB-054..DB-058):
/// <c>merge-engine</c>, <c>sequence.field</c>, <c>fields.&lt;col&gt;.aggregate-function</c> and the related switches.
/// Parsing validates everything, so a table with bad options is rejected at CREATE TABLE.
/// </summary>
public sealed class MergeOptions
{
    /// <summary>The options of a table without merge options: deduplicate, no sequence field.</summary>
    public static readonly MergeOptions Default = new(MergeEngine.Deduplicate, -1, [], [], [], [], false, false, false);

    private MergeOptions(MergeEngine engine, int sequenceColumn, FieldAggregate[] aggregates, bool[] ignoreRetract, string[] delimiters,
        bool[] isKey, bool ignoreDelete, bool removeRecordOnDelete, bool rowDeduplicate)
    {
        Engine = engine;
        SequenceColumn = sequenceColumn;
        Aggregates = aggregates;
        IgnoreRetract = ignoreRetract;
        Delimiters = delimiters;
        IsKey = isKey;
        IgnoreDelete = ignoreDelete;
        RemoveRecordOnDelete = removeRecordOnDelete;
        RowDeduplicate = rowDeduplicate;
    }

    public MergeEngine Engine { get; }

    /// <summary>Index (in the table's physical columns) of <c>sequence.field</c>, or -1.</summary>
    public int SequenceColumn { get; }

    /// <summary>Per column, its aggregate function (aggregation engine only; key columns are not aggregated).</summary>
    public IReadOnlyList<FieldAggregate> Aggregates { get; }

    /// <summary>Per column, <c>fields.&lt;col&gt;.ignore-retract</c>.</summary>
    public IReadOnlyList<bool> IgnoreRetract { get; }

    /// <summary>Per column, the <c>listagg</c> delimiter (default ",").</summary>
    public IReadOnlyList<string> Delimiters { get; }

    /// <summary>Per column, whether it is a primary-key column.</summary>
    public IReadOnlyList<bool> IsKey { get; }

    /// <summary><c>ignore-delete</c> (or the engine-prefixed spelling): -U and -D rows are dropped.</summary>
    public bool IgnoreDelete { get; }

    /// <summary><c>partial-update.remove-record-on-delete</c> / <c>aggregation.remove-record-on-delete</c>: -D removes the key.</summary>
    public bool RemoveRecordOnDelete { get; }

    /// <summary><c>changelog-producer.row-deduplicate</c>: an update that leaves the row unchanged emits nothing.</summary>
    public bool RowDeduplicate { get; }

    private static readonly string[] EngineNames = ["deduplicate", "partial-update", "aggregation", "first-row"];

    private static readonly Dictionary<string, FieldAggregate> FunctionNames = new(StringComparer.Ordinal)
    {
        ["sum"] = FieldAggregate.Sum, ["product"] = FieldAggregate.Product, ["min"] = FieldAggregate.Min, ["max"] = FieldAggregate.Max,
        ["count"] = FieldAggregate.Count, ["listagg"] = FieldAggregate.ListAgg, ["bool_and"] = FieldAggregate.BoolAnd,
        ["bool_or"] = FieldAggregate.BoolOr, ["last_value"] = FieldAggregate.LastValue,
        ["last_non_null_value"] = FieldAggregate.LastNonNullValue, ["first_value"] = FieldAggregate.FirstValue,
        ["first_non_null_value"] = FieldAggregate.FirstNonNullValue,
    };

    /// <summary>True when <paramref name="key"/> is one of the options this class reads.</summary>
    public static bool IsMergeOption(string key) =>
        key is "merge-engine" or "sequence.field" or "ignore-delete" or "partial-update.ignore-delete" or "first-row.ignore-delete"
            or "partial-update.remove-record-on-delete" or "aggregation.remove-record-on-delete" or "changelog-producer.row-deduplicate"
            or "changelog-producer" or "fields.default-aggregate-function"
        || key.StartsWith("fields.", StringComparison.Ordinal);

    public static MergeOptions Parse(TableLayout layout, IReadOnlyDictionary<string, string> options) =>
        Parse(layout.Schema, layout.PrimaryKeyColumnIndexes, options);

    /// <summary>Parses and validates the merge options of a table with <paramref name="schema"/> (physical columns).</summary>
    public static MergeOptions Parse(Schema schema, IReadOnlyList<int> keyIndexes, IReadOnlyDictionary<string, string> options)
    {
        var any = false;
        foreach (var k in options.Keys) any |= IsMergeOption(k);
        if (!any) return Default;
        if (keyIndexes.Count == 0)
        {
            foreach (var k in options.Keys)
                if (IsMergeOption(k) && !k.StartsWith("fields.", StringComparison.Ordinal) && k != "changelog-producer")
                    throw new MergeOptionException(SqlStates.InvalidParameterValue, k, $"option '{k}' applies only to tables with a primary key");
            return Default;
        }

        var engine = MergeEngine.Deduplicate;
        if (options.TryGetValue("merge-engine", out var engineText))
        {
            var i = Array.IndexOf(EngineNames, engineText.Trim().ToLowerInvariant());
            if (i < 0)
                throw new MergeOptionException(SqlStates.InvalidParameterValue, "merge-engine",
                    $"unknown merge engine '{engineText}' (expected one of: {string.Join(", ", EngineNames)})");
            engine = (MergeEngine)i;
        }
        var n = schema.Count;
        var isKey = new bool[n];
        foreach (var k in keyIndexes) isKey[k] = true;

        var sequence = -1;
        if (options.TryGetValue("sequence.field", out var seqName))
        {
            sequence = ColumnIndex(schema, seqName.Trim(), "sequence.field");
            var t = schema[sequence].Type;
            if (!IsSequenceType(t))
                throw new MergeOptionException(SqlStates.DatatypeMismatch, "sequence.field",
                    $"sequence field '{schema[sequence].Name}' has type {t.ToSql()}; it must be an integer, DECIMAL(p<=18), DATE, TIME or TIMESTAMP column");
            if (engine == MergeEngine.FirstRow)
                throw new MergeOptionException(SqlStates.InvalidParameterValue, "sequence.field", "the first-row merge engine does not support 'sequence.field'");
        }

        var ignoreDelete = Bool(options, "ignore-delete") | Bool(options, "partial-update.ignore-delete") | Bool(options, "first-row.ignore-delete");
        var removeOnDelete = false;
        if (options.ContainsKey("partial-update.remove-record-on-delete"))
        {
            if (engine != MergeEngine.PartialUpdate) throw NotForEngine("partial-update.remove-record-on-delete", "partial-update");
            removeOnDelete = Bool(options, "partial-update.remove-record-on-delete");
        }
        if (options.ContainsKey("aggregation.remove-record-on-delete"))
        {
            if (engine != MergeEngine.Aggregation) throw NotForEngine("aggregation.remove-record-on-delete", "aggregation");
            removeOnDelete = Bool(options, "aggregation.remove-record-on-delete");
        }
        var rowDedup = Bool(options, "changelog-producer.row-deduplicate");
        if (options.TryGetValue("changelog-producer", out var producer)
            && producer.Trim().ToLowerInvariant() is not ("none" or "input" or "lookup" or "full-compaction"))
            throw new MergeOptionException(SqlStates.InvalidParameterValue, "changelog-producer",
                $"unknown changelog producer '{producer}' (expected none, input, lookup or full-compaction; Tarn always produces the full changelog)");

        var defaultFunction = FieldAggregate.LastNonNullValue;
        if (options.TryGetValue("fields.default-aggregate-function", out var df))
        {
            if (engine != MergeEngine.Aggregation) throw NotForEngine("fields.default-aggregate-function", "aggregation");
            defaultFunction = Function(df, "fields.default-aggregate-function");
        }
        var aggregates = new FieldAggregate[n];
        var explicitFunction = new bool[n];
        var ignoreRetract = new bool[n];
        var delimiters = new string[n];
        Array.Fill(aggregates, defaultFunction);
        Array.Fill(delimiters, ",");
        foreach (var (key, value) in options)
        {
            if (!key.StartsWith("fields.", StringComparison.Ordinal) || key == "fields.default-aggregate-function") continue;
            var dot = key.LastIndexOf('.');
            var property = key[(dot + 1)..];
            var columnName = dot > "fields.".Length ? key["fields.".Length..dot] : "";
            if (property is not ("aggregate-function" or "ignore-retract" or "list-agg-delimiter"))
                throw new MergeOptionException(SqlStates.InvalidParameterValue, key,
                    $"unsupported field option '{key}' (supported: fields.<column>.aggregate-function, fields.<column>.ignore-retract, fields.<column>.list-agg-delimiter)");
            var c = ColumnIndex(schema, columnName, key);
            if (engine != MergeEngine.Aggregation) throw NotForEngine(key, "aggregation");
            if (isKey[c])
                throw new MergeOptionException(SqlStates.InvalidParameterValue, key, $"column '{schema[c].Name}' is part of the primary key and is not aggregated");
            switch (property)
            {
                case "aggregate-function":
                    aggregates[c] = Function(value, key);
                    explicitFunction[c] = true;
                    break;
                case "ignore-retract":
                    ignoreRetract[c] = Bool(options, key);
                    break;
                default:
                    delimiters[c] = value;
                    break;
            }
        }
        if (engine == MergeEngine.Aggregation)
        {
            for (var c = 0; c < n; c++)
            {
                if (isKey[c]) continue;
                if (c == sequence)
                {
                    // The sequence field keeps the newest (largest accepted) value, as in Paimon.
                    if (explicitFunction[c])
                        throw new MergeOptionException(SqlStates.InvalidParameterValue, $"fields.{schema[c].Name}.aggregate-function",
                            $"column '{schema[c].Name}' is the sequence field and is not aggregated");
                    aggregates[c] = FieldAggregate.LastValue;
                    continue;
                }
                CheckType(schema[c], aggregates[c], explicitFunction[c] ? $"fields.{schema[c].Name}.aggregate-function" : "fields.default-aggregate-function");
            }
        }
        return new MergeOptions(engine, sequence, aggregates, ignoreRetract, delimiters, isKey, ignoreDelete, removeOnDelete, rowDedup);
    }

    private static MergeOptionException NotForEngine(string key, string engine) =>
        new(SqlStates.InvalidParameterValue, key, $"option '{key}' applies only to 'merge-engine' = '{engine}'");

    private static bool IsSequenceType(DataType t) =>
        t.Physical is PhysicalType.Int8 or PhysicalType.Int16 or PhysicalType.Int32 or PhysicalType.Int64 && !t.IsArray;

    private static int ColumnIndex(Schema schema, string name, string key)
    {
        for (var i = 0; i < schema.Count; i++)
            if (string.Equals(schema[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new MergeOptionException(SqlStates.UndefinedColumn, key, $"option '{key}' names column '{name}', which is not a stored column of the table");
    }

    private static bool Bool(IReadOnlyDictionary<string, string> options, string key)
    {
        if (!options.TryGetValue(key, out var text)) return false;
        if (bool.TryParse(text.Trim(), out var value)) return value;
        throw new MergeOptionException(SqlStates.InvalidParameterValue, key, $"option '{key}' must be 'true' or 'false', got '{text}'");
    }

    private static FieldAggregate Function(string text, string key) =>
        FunctionNames.TryGetValue(text.Trim().ToLowerInvariant(), out var f) ? f
            : throw new MergeOptionException(SqlStates.InvalidParameterValue, key,
                $"unknown aggregate function '{text}' in option '{key}' (expected one of: {string.Join(", ", FunctionNames.Keys)})");

    private static void CheckType(Column column, FieldAggregate function, string key)
    {
        var t = column.Type;
        var numeric = !t.IsArray && t.Kind is TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt or TypeKind.Float or TypeKind.Double or TypeKind.Decimal;
        var ok = function switch
        {
            FieldAggregate.Sum => numeric,
            FieldAggregate.Product => numeric && t.Kind != TypeKind.Decimal,
            FieldAggregate.Count => !t.IsArray && t.Kind is TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt,
            FieldAggregate.Min or FieldAggregate.Max => !t.IsArray && t.Physical != PhysicalType.Binary || t.IsString,
            FieldAggregate.ListAgg => t.IsString,
            FieldAggregate.BoolAnd or FieldAggregate.BoolOr => !t.IsArray && t.Kind == TypeKind.Boolean,
            _ => true,
        };
        if (!ok)
            throw new MergeOptionException(SqlStates.DatatypeMismatch, key,
                $"aggregate function '{Name(function)}' does not support column '{column.Name}' of type {t.ToSql()}");
    }

    /// <summary>The option spelling of <paramref name="function"/>.</summary>
    public static string Name(FieldAggregate function)
    {
        foreach (var (name, f) in FunctionNames) if (f == function) return name;
        return function.ToString();
    }
}
