using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Tarn.State;

namespace Tarn.Benchmarks.State;

/// <summary>
/// Point operations of one session on a store that holds everything in memory (1 M keys, 8-byte keys, 32-byte
/// values, 256 MB log memory), and batched reads when most records live on disk (64 MB log memory).
/// Reference figures measured on the development machine: ~4 M upserts/s and ~2.5 M reads/s per thread in memory.
/// </summary>
[MemoryDiagnoser]
public class StateStoreBenchmarks
{
    private const int Keys = 1 << 20;
    private const int OperationsPerInvoke = 1 << 16;

    private string _directory = "";
    private StateStore _store = null!;
    private StateSession _session = null!;
    private readonly byte[] _key = new byte[8];
    private readonly byte[] _value = new byte[32];
    private readonly StateReadBatch _batch = new();
    private int _next;

    [Params(256, 64)]
    public int LogMemoryMegabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tarn-bench-state", Guid.NewGuid().ToString("N"));
        _store = StateStore.Open(new StateStoreOptions
        {
            Directory = _directory,
            IndexBuckets = 1 << 18,
            LogMemorySize = (long)LogMemoryMegabytes << 20,
            PageSize = 1 << 22,
            SegmentSize = 1L << 30,
        });
        _session = _store.NewSession();
        for (var i = 0; i < Keys; i++)
            Upsert(i);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public void Upsert()
    {
        for (var i = 0; i < OperationsPerInvoke; i++)
            Upsert(NextKey());
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int Read()
    {
        var found = 0;
        for (var i = 0; i < OperationsPerInvoke; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_key, NextKey());
            if (_session.TryRead(_key, out ReadOnlySpan<byte> value))
                found += value.Length;
        }
        return found;
    }

    /// <summary>Reads in batches of 256: records on disk overlap their I/O.</summary>
    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int BatchRead()
    {
        var found = 0;
        for (var round = 0; round < OperationsPerInvoke / 256; round++)
        {
            _batch.Clear();
            for (var i = 0; i < 256; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(_key, NextKey());
                _batch.Add(_key);
            }
            _session.Read(_batch);
            for (var i = 0; i < 256; i++)
                found += _batch.Found(i) ? 1 : 0;
        }
        return found;
    }

    private void Upsert(long key)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_key, key);
        BinaryPrimitives.WriteInt64LittleEndian(_value, key * 31);
        _session.Upsert(_key, _value);
    }

    /// <summary>A fixed pseudo-random walk over the key space (multiplicative hashing of a counter).</summary>
    private int NextKey() => (int)((uint)(_next++ * 2654435761u) % Keys);
}
