using System.Text;
using Tarn.Connectors.FileSystem;
using Tarn.Connectors.Formats;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.Tests.Formats;

/// <summary>Decodes messages with a format into column vectors, the way a connector drives a decoder.</summary>
internal sealed class FormatTestKit
{
    private readonly CsvColumnBuilder?[] _builders;
    private readonly IRowDecoder _decoder;

    public FormatTestKit(string format, (string Name, DataType Type)[] fields, params (string Key, string Value)[] options)
    {
        _builders = fields.Select(f => (CsvColumnBuilder?)new CsvColumnBuilder(f.Type, TimeZoneInfo.Utc, 16)).ToArray();
        var dict = options.ToDictionary(o => o.Key, o => o.Value);
        _decoder = RowFormats.Create(new FormatOptions(format, dict, "test"), fields.Select(f => f.Name).ToList(), fields.Select(f => f.Type).ToList(), _builders);
    }

    public List<RowKind> Kinds { get; } = [];
    public int Skipped { get; private set; }

    public FormatTestKit Decode(string? message)
    {
        var bytes = message is null ? [] : Encoding.UTF8.GetBytes(message);
        var rows = _decoder.Prepare(bytes, message is null);
        if (rows < 0) Skipped++;
        for (var r = 0; r < rows; r++) Kinds.Add(_decoder.AppendRow(bytes, r));
        return this;
    }

    /// <summary>The decoded rows, values as CLR objects.</summary>
    public List<object?[]> Rows()
    {
        var vectors = _builders.Select(b => b!.Finish(16)).ToArray();
        var count = vectors.Length == 0 ? 0 : vectors[0].Count;
        var rows = new List<object?[]>();
        for (var r = 0; r < count; r++) rows.Add(vectors.Select(v => v.GetValue(r)).ToArray());
        return rows;
    }

    /// <summary>The raw units of a single-row, single-timestamp result.</summary>
    public long Units() => ((PrimitiveVector<long>)_builders[0]!.Finish(16)).Values[0];
}
