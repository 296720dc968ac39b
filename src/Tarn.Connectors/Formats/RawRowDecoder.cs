using Tarn.Connectors.FileSystem;
using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Flink's <c>raw</c> format: the whole message is the value of the one column, STRING (UTF-8 text) or BYTES; a null
/// message is NULL.
/// </summary>
internal sealed class RawRowDecoder : IRowDecoder
{
    private readonly string _name;
    private readonly CsvColumnBuilder? _builder;
    private bool _isNull;

    public RawRowDecoder(FormatOptions options, IReadOnlyList<string> names, IReadOnlyList<Types.DataType> types, CsvColumnBuilder?[] builders)
    {
        options.CheckKnown("charset", "endianness");
        if (options.Get("charset") is { } charset && !charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("UTF8", StringComparison.OrdinalIgnoreCase))
            throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: 'raw.charset' '{charset}' is not supported (only UTF-8)");
        if (names.Count != 1)
            throw new TarnException(SqlStates.InvalidParameterValue, $"{options.Owner}: the raw format reads exactly one column, but {names.Count} are given ({string.Join(", ", names)})");
        if (!types[0].IsString && !types[0].IsBinary)
            throw new TarnException(SqlStates.FeatureNotSupported, $"{options.Owner}: the raw format reads a STRING or BYTES column, not {types[0].ToSql()} ('{names[0]}')");
        _name = names[0];
        _builder = builders[0];
    }

    public bool ProducesChanges => false;

    public int Prepare(ReadOnlySpan<byte> message, bool isNull)
    {
        _isNull = isNull;
        return 1;
    }

    public RowKind AppendRow(ReadOnlySpan<byte> message, int row)
    {
        if (_builder is null) return RowKind.Insert;
        if (_isNull) _builder.AppendNull();
        else if (!_builder.TryAppend(message))
            throw new RowDecodeException($"field '{_name}': a message of {message.Length} bytes does not fit {_builder.Type.ToSql()}");
        return RowKind.Insert;
    }
}
