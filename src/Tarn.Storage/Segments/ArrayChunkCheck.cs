using Tarn.Storage.Encodings;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Segments;

/// <summary>
/// [ENC-050] An ARRAY chunk decodes like any variable-length chunk; then every non-NULL value must be exactly one
/// well-formed array of the column's element type (storage-spec/04-encodings.md §4.10), or the chunk is corrupt.
/// </summary>
internal static class ArrayChunkCheck
{
    public static void Validate(ColumnVector vector, DataType type, DecodeSite site)
    {
        var element = type.Element!;
        switch (vector)
        {
            case BinaryVector b:
                for (var i = 0; i < b.Count; i++)
                    if (!b.IsNull(i) && ArrayValues.Validate(b.GetBytes(i), element) < 0) site.Fail($"row {i} is not a well-formed {type.ToSql()} value");
                break;
            case DictionaryVector d:
                var entries = d.Dictionary;
                for (var i = 0; i < entries.Count; i++)
                    if (!entries.IsNull(i) && ArrayValues.Validate(entries.GetBytes(i), element) < 0) site.Fail($"dictionary entry {i} is not a well-formed {type.ToSql()} value");
                break;
        }
    }
}
