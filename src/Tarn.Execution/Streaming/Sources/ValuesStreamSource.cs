using Tarn.Storage.Format;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Sources;

/// <summary>A bounded source of constant rows (VALUES in a streaming query): one batch, then finished.</summary>
public sealed class ValuesStreamSource(ColumnBatch rows, IReadOnlyList<DataType> types) : IStreamSource
{
    private bool _done;

    public IReadOnlyList<DataType> OutputTypes { get; } = types;

    public bool IsFinished => _done;

    public ChangeBatch? Poll(int maxRows)
    {
        if (_done) return null;
        _done = true;
        return rows.RowCount == 0 ? null : new ChangeBatch(rows);
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellation) => ValueTask.CompletedTask;

    public byte[] SavePosition() => [_done ? (byte)1 : (byte)0];

    public void RestorePosition(ReadOnlySpan<byte> position)
    {
        var r = new ByteReader(position, "values position");
        _done = r.ReadByte() != 0;
    }

    public void Dispose() { }
}
