using System.Runtime.CompilerServices;
using Tarn.Vectors;

namespace Tarn.Execution.Vectors;

/// <summary>
/// Read access to the bytes of a string/binary column whether it is flat (<see cref="BinaryVector"/>) or
/// dictionary-encoded (<see cref="DictionaryVector"/>), without flattening. Never call <see cref="Get"/> on a NULL row:
/// a NULL dictionary row's code is unspecified and may be out of range.
/// </summary>
public readonly struct StringView
{
    private readonly int[]? _codes;
    private readonly int[] _offsets;
    private readonly byte[] _data;

    public StringView(ColumnVector vector)
    {
        switch (vector)
        {
            case BinaryVector b:
                _codes = null;
                _offsets = b.Offsets;
                _data = b.Data;
                break;
            case DictionaryVector d:
                _codes = d.Codes;
                _offsets = d.Dictionary.Offsets;
                _data = d.Dictionary.Data;
                break;
            default:
                throw new InvalidOperationException($"{vector.GetType().Name} is not a string vector");
        }
        Nulls = vector.Nulls;
    }

    public byte[]? Nulls { get; }

    public bool IsNull(int row) => Nulls is { } n && n[row] != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Get(int row)
    {
        var r = _codes is null ? row : _codes[row];
        var start = _offsets[r];
        return new ReadOnlySpan<byte>(_data, start, _offsets[r + 1] - start);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Length(int row)
    {
        var r = _codes is null ? row : _codes[row];
        return _offsets[r + 1] - _offsets[r];
    }
}
