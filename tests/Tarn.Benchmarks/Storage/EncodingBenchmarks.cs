using System.Text;
using BenchmarkDotNet.Attributes;
using Tarn.Storage.Encodings;
using Tarn.Storage.Segments;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Benchmarks.Storage;

/// <summary>
/// Encode and decode speed of the columns of the benchmark table (one 65,536-row chunk each), reported per value
/// (OperationsPerInvoke = rows). Decode = payload to vector (no I/O); ReadColumn adds chunk CRC and LZ4.
/// </summary>
[MemoryDiagnoser]
public class EncodingBenchmarks
{
    private const int Rows = 65536;

    private readonly ChunkPayloadEncoder _encoder = new();
    private readonly EncodeBuffer _buffer = new(1 << 20);
    private ColumnVector _vector = null!;
    private DataType _type = null!;
    private byte[] _payload = [];
    private SegmentReader _reader = null!;
    private int _column;

    public enum OrdersColumn { Offset, UserId, Amount, Status, Ts }

    [Params(OrdersColumn.Offset, OrdersColumn.UserId, OrdersColumn.Amount, OrdersColumn.Status, OrdersColumn.Ts)]
    public OrdersColumn Column { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(42);
        var start = 1_700_000_000_000_000L;
        string[] statuses = ["pending", "paid", "shipped", "delivered", "cancelled"];
        switch (Column)
        {
            case OrdersColumn.Offset:
                _type = DataType.BigInt.WithNullable(false);
                _vector = new PrimitiveVector<long>(_type, Enumerable.Range(0, Rows).Select(i => 1_000_000L + i).ToArray(), Rows);
                break;
            case OrdersColumn.UserId:
                _type = DataType.BigInt;
                _vector = new PrimitiveVector<long>(_type, Enumerable.Range(0, Rows).Select(_ => { var u = rnd.NextDouble(); return (long)(u * u * 100_000); }).ToArray(), Rows);
                break;
            case OrdersColumn.Amount:
                _type = DataType.Double;
                _vector = new PrimitiveVector<double>(_type, Enumerable.Range(0, Rows).Select(_ => rnd.Next(0, 100_000) / 100.0).ToArray(), Rows);
                break;
            case OrdersColumn.Status:
            {
                _type = DataType.String;
                var v = new BinaryVector(_type, Rows);
                for (var i = 0; i < Rows; i++) v.Append(Encoding.UTF8.GetBytes(statuses[rnd.Next(statuses.Length)]));
                _vector = v;
                break;
            }
            default:
                _type = DataType.Timestamp(6);
                _vector = new PrimitiveVector<long>(_type, Enumerable.Range(0, Rows).Select(i => start + i * 3_000_000L + rnd.NextInt64(0, 60_000_001)).ToArray(), Rows);
                break;
        }
        _encoder.Analyze(_vector, Rows);
        _buffer.Clear();
        _encoder.Write(_buffer);
        _payload = _buffer.WrittenSpan.ToArray();
        var schema = new Schema([new Column(0, "c", _type)]);
        var builder = new SegmentBuilder(schema);
        builder.Append(new ColumnBatch([_vector], Rows));
        _reader = SegmentReader.Open(new MemorySegmentSource(builder.Finish().Bytes));
        _column = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _buffer.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Encode()
    {
        _encoder.Analyze(_vector, Rows);
        _buffer.Clear();
        _encoder.Write(_buffer);
        return _buffer.Length;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Decode() =>
        ChunkPayloadDecoder.Decode(_payload, _type, Rows, new DecodeSite(null, "bench"), out _).Count;

    [Benchmark(OperationsPerInvoke = Rows)]
    public int ReadColumn() => _reader.ReadColumn(0, _column).Count;

    /// <summary>What a scan that recycles its vectors pays: no fresh memory per chunk.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int ReadColumnReusingVector()
    {
        _reused = _reader.ReadColumn(0, _column, _reused);
        return _reused.Count;
    }

    private ColumnVector? _reused;
}

/// <summary>Raw bit unpacking, the inner loop of every integer decode.</summary>
public class BitUnpackBenchmarks
{
    private const int Count = 65536;
    private byte[] _packed = [];
    private readonly long[] _longs = new long[Count];
    private readonly int[] _ints = new int[Count];

    [Params(3, 17, 27, 44)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(1);
        var values = new long[Count];
        for (var i = 0; i < Count; i++) values[i] = rnd.NextInt64(0, 1L << Width);
        _packed = new byte[BitPacking.ByteCount(Count, Width)];
        BitPacking.Pack(new OffsetSource(values, 0), Count, Width, _packed);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void UnpackToLong() => BitPacking.UnpackAdd(_packed, Width, 100L, _longs);

    [Benchmark(OperationsPerInvoke = Count)]
    public void UnpackToInt() => BitPacking.UnpackAdd(_packed, Width, 0, _ints);
}
