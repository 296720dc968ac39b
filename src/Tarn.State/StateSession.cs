using System.Buffers;
using FASTER.core;
using Tarn.State.Internal;

namespace Tarn.State;

/// <summary>
/// One thread's (or one operator's) access to a <see cref="StateStore"/>. Not thread-safe: use a session from one
/// thread at a time. Every call completes before it returns: reads of records that have left memory wait for their
/// disk I/O inside the call, so a result can never be lost to a forgotten CompletePending (STATE-010).
/// </summary>
public sealed class StateSession : IDisposable
{
    private readonly StateStore _store;
    private readonly ClientSession<SpanByte, SpanByte, SpanByte, ReadSlot, int, StateFunctions> _session;
    private readonly ValueBuffer _values = new();
    private byte[] _record = new byte[256];
    private bool _busy;
    private bool _disposed;

    /// <summary>Upserts and deletes so far; a prefix scan uses it to notice that its read-ahead may be stale.</summary>
    internal long WriteCount { get; private set; }

    internal StateSession(StateStore store, ClientSession<SpanByte, SpanByte, SpanByte, ReadSlot, int, StateFunctions> session)
    {
        _store = store;
        _session = session;
    }

    /// <summary>Appends the value of <paramref name="key"/> to <paramref name="value"/>; false if the key has none.</summary>
    public bool TryRead(ReadOnlySpan<byte> key, IBufferWriter<byte> value)
    {
        if (!TryRead(key, out ReadOnlySpan<byte> found))
            return false;
        value.Write(found);
        return true;
    }

    /// <summary>
    /// Reads the value of <paramref name="key"/> without copying it out. The span points into this session's buffer
    /// and is valid until the next call on this session.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        Enter();
        try
        {
            if (ReadCore(key, _values))
            {
                value = _values.Get(0);
                return true;
            }
            value = default;
            return false;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Sets the value of <paramref name="key"/>, inserting or replacing it.</summary>
    public unsafe void Upsert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if ((long)key.Length + value.Length > _store.MaxRecordPayload)
            ThrowHelper.Argument($"state record of {key.Length + value.Length} bytes (key and value) exceeds the limit of {_store.MaxRecordPayload} bytes set by the state page size");
        Enter();
        try
        {
            var stored = StoredValue.Encode(key, value, ref _record);
            fixed (byte* k = key)
            fixed (byte* v = _record)
            {
                var keyBytes = new SpanByte(key.Length, (IntPtr)k);
                var valueBytes = new SpanByte(stored, (IntPtr)v);
                WriteCount++;
                var status = _session.Upsert(ref keyBytes, ref valueBytes);
                Complete(status);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Removes <paramref name="key"/>; removing a missing key is not an error.</summary>
    public unsafe void Delete(ReadOnlySpan<byte> key)
    {
        Enter();
        try
        {
            fixed (byte* k = key)
            {
                var keyBytes = new SpanByte(key.Length, (IntPtr)k);
                WriteCount++;
                var status = _session.Delete(ref keyBytes);
                Complete(status);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// Reads every key of <paramref name="batch"/>. Lookups of records on disk are issued together and waited for once,
    /// so their I/O overlaps; results are in <paramref name="batch"/> afterwards.
    /// </summary>
    public unsafe void Read(StateReadBatch batch)
    {
        Enter();
        try
        {
            var count = batch.Count;
            var values = batch.Values;
            batch.HasResults = false;
            values.Reset(count);
            var pending = false;
            fixed (byte* keys = batch.KeyBytes)
            {
                for (var i = 0; i < count; i++)
                {
                    var keyBytes = new SpanByte(batch.KeyLength(i), (IntPtr)(keys + batch.KeyOffset(i)));
                    var input = default(SpanByte);
                    var output = new ReadSlot(values, i);
                    var status = _session.Read(ref keyBytes, ref input, ref output, i);
                    if (status.IsPending)
                        pending = true;
                    else
                        ThrowIfFailed(status);
                }
            }
            if (pending)
                CompletePending();
            for (var i = 0; i < count; i++)
            {
                if (values.Has(i))
                    StoredValue.Verify(batch.Key(i), values, i, _store.LogDirectory);
            }
            batch.HasResults = true;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// Every live record whose key starts with <paramref name="prefix"/>. Costs a pass over the whole log, O(log size),
    /// plus one (batched) lookup per record with the prefix, so it suits small namespaces and background work (TTL,
    /// snapshots), not per-row paths. Dispose the scan; see <see cref="StatePrefixScan"/> for what writes during it do.
    /// </summary>
    public StatePrefixScan ScanPrefix(ReadOnlySpan<byte> prefix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new StatePrefixScan(this, _store.Kv, prefix);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _session.Dispose();
        _store.OnSessionDisposed(this);
    }

    /// <summary>Reads <paramref name="key"/> into slot 0 of <paramref name="buffer"/>, which also records the address.</summary>
    internal unsafe bool ReadCore(ReadOnlySpan<byte> key, ValueBuffer buffer)
    {
        buffer.Reset(1);
        fixed (byte* k = key)
        {
            var keyBytes = new SpanByte(key.Length, (IntPtr)k);
            var input = default(SpanByte);
            var output = new ReadSlot(buffer, 0);
            var status = _session.Read(ref keyBytes, ref input, ref output, 0);
            if (status.IsPending)
                CompletePending();
            else
                ThrowIfFailed(status);
        }
        if (!buffer.Has(0))
            return false;
        StoredValue.Verify(key, buffer, 0, _store.LogDirectory);
        return true;
    }

    /// <summary>Entry point for a scan's lookups, which run between the caller's calls on this session.</summary>
    internal bool ReadForScan(ReadOnlySpan<byte> key, ValueBuffer buffer)
    {
        Enter();
        try
        {
            return ReadCore(key, buffer);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Complete(Status status)
    {
        if (status.IsPending)
            CompletePending();
        else
            ThrowIfFailed(status);
    }

    /// <summary>
    /// Waits for this session's outstanding operations. Read results reach their <see cref="ValueBuffer"/> slots from
    /// the read callback, so FASTER's output list is only inspected for I/O errors.
    /// </summary>
    private void CompletePending()
    {
        _session.CompletePendingWithOutputs(out var completed, wait: true);
        using (completed)
        {
            while (completed.Next())
                ThrowIfFailed(completed.Current.Status);
        }
    }

    private void ThrowIfFailed(Status status)
    {
        if (status.IsFaulted || status.IsCanceled)
            throw new TarnException(SqlStates.IoError, $"state store I/O failed in '{_store.StateDirectory}' ({status})") { FilePath = _store.StateDirectory };
    }

    /// <summary>Cheap guard against the one misuse FASTER does not detect: two threads in one session.</summary>
    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_busy)
            throw new TarnException(SqlStates.ObjectInUse, "a state session is used by two threads at once (or re-entered); use one session per thread");
        _busy = true;
    }
}
