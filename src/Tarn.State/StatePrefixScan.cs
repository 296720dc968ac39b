using FASTER.core;
using Tarn.State.Internal;

namespace Tarn.State;

/// <summary>
/// Enumerates the live records whose key starts with a prefix (STATE-012), created by
/// <see cref="StateSession.ScanPrefix"/>:
/// <code>
/// using var scan = session.ScanPrefix(prefix);
/// while (scan.MoveNext()) Use(scan.Key, scan.Value);
/// </code>
/// It walks the hybrid log from its begin address to the tail as it was when the scan started (reading on-disk pages
/// sequentially) and asks the index, for each record with the prefix, whether that record is its key's current one;
/// overwritten and deleted records are skipped, so each key is returned once, with its current value. The lookups are
/// batched (<see cref="LookupBatchSize"/> records) so that those of records on disk overlap their I/O.
/// <para>
/// The caller may write through the same session between <see cref="MoveNext"/> calls (e.g. delete expired keys):
/// keys already returned are unaffected, later ones are then looked up one at a time so they reflect the writes, and
/// a key written during the scan before the scan reached it may be missed. Writes by other sessions to the scanned
/// namespace during the scan may likewise make the scan miss keys or return a value up to one batch old.
/// </para>
/// </summary>
public sealed class StatePrefixScan : IDisposable
{
    /// <summary>Records whose liveness is looked up together.</summary>
    public const int LookupBatchSize = 256;

    private readonly StateSession _session;
    private readonly IFasterScanIterator<SpanByte, SpanByte> _log;
    private readonly byte[] _prefix;
    private readonly StateReadBatch _candidates = new();
    private readonly long[] _addresses = new long[LookupBatchSize];
    private readonly ValueBuffer _single = new();
    private long _writesWhenLookedUp;
    private int _next;
    private int _current = -1;
    private bool _currentFromSingle;
    private bool _logDone;
    private bool _disposed;

    internal StatePrefixScan(StateSession session, FasterKV<SpanByte, SpanByte> kv, ReadOnlySpan<byte> prefix)
    {
        _session = session;
        _prefix = prefix.ToArray();
        _log = kv.Log.Scan(kv.Log.BeginAddress, kv.Log.TailAddress);
    }

    /// <summary>Key of the current record; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Key => _current >= 0 ? _candidates.Key(_current) : throw NotPositioned();

    /// <summary>Current value of the current record; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Value
    {
        get
        {
            if (_current < 0)
                throw NotPositioned();
            if (_currentFromSingle)
                return _single.Get(0);
            _candidates.TryGetValue(_current, out var value);
            return value;
        }
    }

    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _current = -1;
        while (true)
        {
            if (_next == _candidates.Count && !FillAndLookUp())
                return false;
            var i = _next++;
            bool live;
            if (_session.WriteCount == _writesWhenLookedUp)
            {
                // The record is live exactly when a lookup of its key lands on it; records never move on reads.
                live = _candidates.Found(i) && _candidates.Values.Address(i) == _addresses[i];
                _currentFromSingle = false;
            }
            else
            {
                // This session wrote since the batch was looked up: the batch's answers may be stale.
                live = _session.ReadForScan(_candidates.Key(i), _single) && _single.Address(0) == _addresses[i];
                _currentFromSingle = true;
            }
            if (live)
            {
                _current = i;
                return true;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _log.Dispose();
    }

    /// <summary>Collects the next records with the prefix from the log and looks them all up.</summary>
    private bool FillAndLookUp()
    {
        _candidates.Clear();
        _next = 0;
        while (!_logDone && _candidates.Count < LookupBatchSize)
        {
            if (!_log.GetNext(out var info))
            {
                _logDone = true;
                break;
            }
            if (info.Tombstone)
                continue;
            var key = _log.GetKey().AsReadOnlySpan();
            if (key.StartsWith(_prefix))
                _addresses[_candidates.Add(key)] = _log.CurrentAddress;
        }
        if (_candidates.Count == 0)
            return false;
        _writesWhenLookedUp = _session.WriteCount;
        _session.Read(_candidates);
        return true;
    }

    private static InvalidOperationException NotPositioned() => new("the scan is not on a record; call MoveNext first and only while it returns true");
}
