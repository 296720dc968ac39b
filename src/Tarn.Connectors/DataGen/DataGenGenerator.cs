using Tarn.Connectors.Generators;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Connectors.DataGen;

/// <summary>
/// Rows of a datagen table by number. Row <c>n</c>'s time is the base time plus <c>n</c> / rows-per-second (the
/// default rate when unpaced): the moment a paced stream emits it. Random times lie up to max-past before it, like
/// Flink's "now minus a random duration", but reproducible: a restored stream keeps its base time.
/// </summary>
internal sealed class DataGenGenerator : IRowGenerator
{
    private readonly DataGenColumn[] _columns;
    private readonly DataType[] _types;
    private readonly double _millisPerRow;

    public DataGenGenerator(DataGenColumn[] columns, ulong seed, double rowsPerSecond, long baseTimeMillis)
    {
        _columns = columns;
        _types = new DataType[columns.Length];
        for (var i = 0; i < columns.Length; i++) _types[i] = columns[i].Type;
        _millisPerRow = 1000.0 / rowsPerSecond;
        Seed = seed;
        BaseTimeMillis = baseTimeMillis;
    }

    public IReadOnlyList<DataType> OutputTypes => _types;

    public ulong Seed { get; }

    public long BaseTimeMillis { get; private set; }

    /// <summary>The base time is when the stream first started, so a restored stream adopts the saved one.</summary>
    public bool TryRebase(long baseTimeMillis)
    {
        BaseTimeMillis = baseTimeMillis;
        return true;
    }

    public ColumnBatch Generate(long first, int count)
    {
        var vectors = new ColumnVector[_columns.Length];
        for (var c = 0; c < vectors.Length; c++) vectors[c] = _columns[c].Generate(first, count, BaseTimeMillis, _millisPerRow);
        return new ColumnBatch(vectors, count);
    }
}
