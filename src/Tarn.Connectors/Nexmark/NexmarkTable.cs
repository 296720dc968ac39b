using Tarn.Connectors.Generators;
using Tarn.Catalog.Model;
using Tarn.Types;

namespace Tarn.Connectors.Nexmark;

/// <summary>
/// A <c>'connector' = 'nexmark'</c> table: its options and, for each leaf column (ROW fields flattened, see
/// <see cref="ColumnLeaves"/>), the generator field it reads. Columns are matched by name, so a table may declare the
/// upstream DDL's columns in any order or only some of them; other names and incompatible types are rejected.
/// </summary>
internal sealed class NexmarkTable
{
    private NexmarkTable(NexmarkOptions options, NexmarkField[] leafFields, DataType[] leafTypes)
    {
        Options = options;
        LeafFields = leafFields;
        LeafTypes = leafTypes;
    }

    public NexmarkOptions Options { get; }

    /// <summary>The field of each leaf column, by leaf index.</summary>
    public IReadOnlyList<NexmarkField> LeafFields { get; }

    public IReadOnlyList<DataType> LeafTypes { get; }

    public static bool Is(TableDef table) => string.Equals(table.Connector, "nexmark", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks a table definition (at CREATE TABLE and when opened); throws 22023 / 42703 / 42804 with the reason.</summary>
    public static NexmarkTable From(TableDef table)
    {
        var options = NexmarkOptions.Parse(table.Options);
        var leaves = ColumnLeaves.Physical(table);
        var fields = new NexmarkField[leaves.Count];
        var types = new DataType[leaves.Count];
        var seen = new bool[NexmarkFields.Count];
        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i];
            var field = NexmarkFields.Find(leaf.Name) ?? throw new TarnException(SqlStates.UndefinedColumn,
                $"nexmark table '{table.Name}' has no field '{leaf.Name}'; its columns are event_type INT and the ROWs person, auction and bid with the fields {string.Join(", ", NexmarkFields.Paths.Skip(1))}");
            if (seen[(int)field]) throw new TarnException(SqlStates.DuplicateColumn, $"nexmark field '{leaf.Name}' is declared twice in table '{table.Name}'");
            seen[(int)field] = true;
            CheckType(table, leaf, field);
            fields[i] = field;
            types[i] = leaf.Type;
        }
        return new NexmarkTable(options, fields, types);
    }

    private static void CheckType(TableDef table, LeafColumn leaf, NexmarkField field)
    {
        var type = leaf.Type;
        var ok = NexmarkFields.KindOf(field) switch
        {
            NexmarkFieldKind.Int => type.Kind == TypeKind.Int,
            NexmarkFieldKind.Long => type.Kind == TypeKind.BigInt,
            NexmarkFieldKind.Timestamp => type.Kind == TypeKind.Timestamp,
            _ => type.Kind == TypeKind.Varchar && type.Length == DataType.MaxLength,
        };
        if (!ok)
        {
            var expected = NexmarkFields.KindOf(field) switch
            {
                NexmarkFieldKind.Int => "INT",
                NexmarkFieldKind.Long => "BIGINT",
                NexmarkFieldKind.Timestamp => "TIMESTAMP(3)",
                _ => "VARCHAR (or STRING)",
            };
            throw new TarnException(SqlStates.DatatypeMismatch, $"nexmark field '{leaf.Name}' of table '{table.Name}' must be {expected}, not {type.ToSql()}");
        }
    }

    /// <summary>The pacing of a stream of this table: <c>first-event.rate</c> unless <c>max-emit-speed</c>, bounded by <c>events.num</c>.</summary>
    public GeneratorPacing Pacing => new(Options.MaxEmitSpeed ? null : Options.FirstEventRate, Options.Limit, Options.KeepAlive);

    /// <summary>A generator of the leaves at <paramref name="leafIndexes"/>, in that order.</summary>
    public NexmarkGenerator Generator(IReadOnlyList<int> leafIndexes)
    {
        var fields = new NexmarkField[leafIndexes.Count];
        var types = new DataType[leafIndexes.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = LeafFields[leafIndexes[i]];
            types[i] = LeafTypes[leafIndexes[i]];
        }
        return new NexmarkGenerator(Options, fields, types);
    }
}
