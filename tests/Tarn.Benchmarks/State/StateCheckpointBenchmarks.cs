using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Tarn.State;

namespace Tarn.Benchmarks.State;

/// <summary>
/// Full snapshot checkpoint (hash index image + unflushed log + Tarn's CRC pass and fsyncs) of a store with 2 M keys,
/// after 64 K updates; and a prefix scan over the same store. Reference: a checkpoint of 10 M keys with a 2^21-bucket
/// (128 MB) index took 1-1.6 s on the development machine.
/// </summary>
[MemoryDiagnoser]
public class StateCheckpointBenchmarks
{
    private const int Keys = 2 << 20;

    private string _directory = "";
    private StateStore _store = null!;
    private StateSession _session = null!;
    private readonly byte[] _key = new byte[12];
    private readonly byte[] _value = new byte[32];
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tarn-bench-state", Guid.NewGuid().ToString("N"));
        _store = StateStore.Open(new StateStoreOptions
        {
            Directory = _directory,
            IndexBuckets = 1 << 19,
            LogMemorySize = 128L << 20,
            PageSize = 1 << 22,
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

    [IterationSetup(Target = nameof(Checkpoint))]
    public void Touch()
    {
        _round++;
        for (var i = 0; i < 1 << 16; i++)
            Upsert((int)((uint)((i + _round * 65536) * 2654435761u) % Keys));
    }

    [Benchmark]
    public Task<StateCheckpoint> Checkpoint() => _store.CheckpointAsync();

    /// <summary>One of 16 namespaces (first key byte): reads the whole log, looks up 1/16 of the records.</summary>
    [Benchmark]
    public int ScanOneSixteenth()
    {
        var count = 0;
        using var scan = _session.ScanPrefix([3]);
        while (scan.MoveNext())
            count++;
        return count;
    }

    private void Upsert(int i)
    {
        _key[0] = (byte)(i & 15);
        BinaryPrimitives.WriteInt32BigEndian(_key.AsSpan(4), i);
        BinaryPrimitives.WriteInt32LittleEndian(_value, i + _round);
        _session.Upsert(_key, _value);
    }
}
