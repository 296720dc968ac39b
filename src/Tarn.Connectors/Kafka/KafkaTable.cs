using Tarn.Catalog.Model;
using Tarn.Connectors.Formats;
using Tarn.Types;

namespace Tarn.Connectors.Kafka;

/// <summary>
/// A <c>'connector' = 'kafka'</c> table: its options, which physical columns the record value and key hold, and its
/// metadata columns. Scans address physical columns by position and metadata columns after them (position
/// <c>physical count + i</c> is the i-th metadata column), as the binder lays out a connector scan.
/// </summary>
internal sealed partial class KafkaTable
{
    private KafkaTable(TableDef table, KafkaOptions options, IReadOnlyList<ColumnDef> physical, IReadOnlyList<KafkaMetadataColumn> metadata,
        IReadOnlyList<int> valueFields, IReadOnlyList<int> keyFields)
    {
        Table = table;
        Options = options;
        Physical = physical;
        Metadata = metadata;
        ValueFields = valueFields;
        KeyFields = keyFields;
    }

    public TableDef Table { get; }
    public KafkaOptions Options { get; }
    public IReadOnlyList<ColumnDef> Physical { get; }
    public IReadOnlyList<KafkaMetadataColumn> Metadata { get; }

    /// <summary>Physical column positions the value format holds, in format order.</summary>
    public IReadOnlyList<int> ValueFields { get; }

    /// <summary>Physical column positions the key format holds (<c>key.fields</c> order).</summary>
    public IReadOnlyList<int> KeyFields { get; }

    public string Name => Table.Name;

    /// <summary>Whether the value format carries changes (debezium-json, canal-json): the table is an updating source.</summary>
    public bool IsChangelog => RowFormats.IsChangelog(Options.ValueFormat);

    public static bool Is(TableDef table) => string.Equals(table.Connector, "kafka", StringComparison.OrdinalIgnoreCase);

    /// <summary>An <c>'connector' = 'upsert-kafka'</c> table (see KafkaTable.Upsert.cs).</summary>
    public static bool IsUpsertKafka(TableDef table) => string.Equals(table.Connector, "upsert-kafka", StringComparison.OrdinalIgnoreCase);

    /// <summary>Either kind of kafka table.</summary>
    public static bool IsAny(TableDef table) => Is(table) || IsUpsertKafka(table);

    /// <summary>An upsert-kafka table: the key holds the primary key, a record is an upsert of its key, a null value a delete.</summary>
    public bool IsUpsert => IsUpsertKafka(Table);

    /// <summary>Checks a table definition (at CREATE TABLE and when opened); throws 22023 / 42703 / 42804 / 0A000 with the reason.</summary>
    public static KafkaTable From(TableDef table)
    {
        var options = KafkaOptions.Parse(table.Name, IsUpsertKafka(table) ? UpsertOptions(table) : table.Options);
        var physical = new List<ColumnDef>();
        var metadata = new List<KafkaMetadataColumn>();
        foreach (var c in table.Columns)
        {
            if (c.IsPhysical)
            {
                if (c.Type.Kind is TypeKind.Row or TypeKind.Array)
                    throw new TarnException(SqlStates.FeatureNotSupported, $"kafka table '{table.Name}': column '{c.Name}' is {c.Type.ToSql()}; nested types are not supported yet");
                physical.Add(c);
            }
            else if (c.IsMetadata) metadata.Add(KafkaMetadataColumn.From(table.Name, c.Name, c.MetadataKey, c.Type));
        }
        var keyFields = new List<int>();
        foreach (var name in options.KeyFields)
        {
            var index = physical.FindIndex(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0) throw new TarnException(SqlStates.UndefinedColumn, $"kafka table '{table.Name}': 'key.fields' names '{name}', which is not a physical column");
            if (!physical[index].Name.StartsWith(options.KeyFieldsPrefix, StringComparison.OrdinalIgnoreCase))
                throw new TarnException(SqlStates.InvalidParameterValue, $"kafka table '{table.Name}': key field '{name}' does not start with 'key.fields-prefix' '{options.KeyFieldsPrefix}'");
            keyFields.Add(index);
        }
        var valueFields = new List<int>();
        for (var i = 0; i < physical.Count; i++)
            if (!options.ValueExceptKey || !keyFields.Contains(i)) valueFields.Add(i);
        var kafka = new KafkaTable(table, options, physical, metadata, valueFields, keyFields);
        RowFormats.Validate(kafka.ValueFormatOptions(), kafka.FieldNames(valueFields, ""), kafka.FieldTypes(valueFields));
        if (options.KeyFormat is { } keyFormat)
        {
            if (RowFormats.IsChangelog(keyFormat))
                throw new TarnException(SqlStates.InvalidParameterValue, $"kafka table '{table.Name}': 'key.format' '{keyFormat}' is a changelog format; keys use json, csv or raw");
            RowFormats.Validate(kafka.KeyFormatOptions()!, kafka.FieldNames(keyFields, options.KeyFieldsPrefix), kafka.FieldTypes(keyFields));
        }
        return kafka;
    }

    public FormatOptions ValueFormatOptions() => FormatOptions.From(Options.ValueFormat, Options.All, "value.", $"kafka table '{Name}' (value)");

    public FormatOptions? KeyFormatOptions() =>
        Options.KeyFormat is { } f ? FormatOptions.From(f, Options.All, "key.", $"kafka table '{Name}' (key)") : null;

    /// <summary>Names of the fields in the message: column names, less the key prefix for key fields.</summary>
    public IReadOnlyList<string> FieldNames(IReadOnlyList<int> fields, string prefix)
    {
        var names = new string[fields.Count];
        for (var i = 0; i < names.Length; i++) names[i] = Physical[fields[i]].Name[prefix.Length..];
        return names;
    }

    public IReadOnlyList<DataType> FieldTypes(IReadOnlyList<int> fields)
    {
        var types = new DataType[fields.Count];
        for (var i = 0; i < types.Length; i++) types[i] = Physical[fields[i]].Type;
        return types;
    }
}
