using Tarn.Connectors.FileSystem;
using Tarn.Types;

namespace Tarn.Connectors.Formats;

/// <summary>The message formats connectors can read (Flink's format identifiers).</summary>
internal static class RowFormats
{
    public static readonly string[] Supported = ["json", "csv", "raw", "debezium-json", "canal-json", "avro", "avro-confluent"];

    /// <summary>Whether a format carries changes (-U/+U/-D) rather than appended rows.</summary>
    public static bool IsChangelog(string format) =>
        format.Equals("debezium-json", StringComparison.OrdinalIgnoreCase) || format.Equals("canal-json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A decoder of <paramref name="options"/>' format for fields <paramref name="names"/> of <paramref name="types"/>;
    /// <paramref name="builders"/> (one per field, null for fields not read) receive the values. Throws 22023 / 0A000
    /// for unknown formats, options or unsupported column types.
    /// </summary>
    public static IRowDecoder Create(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types, CsvColumnBuilder?[] builders)
    {
        foreach (var type in types)
            if (type.Kind is TypeKind.Row or TypeKind.Array or TypeKind.Null)
                throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: the {options.Format} format cannot read {type.ToSql()} columns yet");
        return options.Format switch
        {
            "json" => new JsonRowDecoder(options, names, builders),
            "csv" => new CsvRowDecoder(options, names, builders),
            "raw" => new RawRowDecoder(options, names, types, builders),
            "debezium-json" => new DebeziumJsonDecoder(options, names, builders),
            "canal-json" => new CanalJsonDecoder(options, names, builders),
            "avro" => new AvroRowDecoder(options, names, types, builders),
            "avro-confluent" => new AvroConfluentDecoder(options, names, types, builders),
            _ => throw new TarnException(SqlStates.FeatureNotSupported,
                $"{options.Owner}: format '{options.Format}' is not supported (supported: {string.Join(", ", Supported)})"),
        };
    }

    /// <summary>Checks a format and its options for a table definition (a decoder reading nothing is built and dropped).</summary>
    public static void Validate(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<DataType> types)
    {
        var builders = new CsvColumnBuilder?[names.Count];
        for (var i = 0; i < types.Count; i++) builders[i] = new CsvColumnBuilder(types[i], TimeZoneInfo.Utc, 1);
        Create(options, names, types, builders);
    }
}
