using Tarn.Catalog.Model;
using Tarn.Storage.Log;

namespace Tarn.Catalog;

/// <summary>
/// NEXTVAL: values come from blocks reserved by one catalog commit each (the durable commit costs far more than
/// handing out a value), so a restart continues after the last reserved block and never repeats a value; the unused
/// rest of a block is skipped. A block has <see cref="SequenceBlock"/> values and each further block a process reserves
/// for the same sequence doubles, up to <see cref="MaxSequenceBlock"/>: bulk inserts commit rarely, occasional use
/// skips little on restart.
/// </summary>
public sealed partial class CatalogManager
{
    /// <summary>Values reserved by a process's first catalog commit for a sequence.</summary>
    public const int SequenceBlock = 32;

    /// <summary>The most values one catalog commit reserves.</summary>
    public const int MaxSequenceBlock = 1024;

    private readonly Lock _sequenceGate = new();
    private readonly Dictionary<string, SequenceCursor> _sequenceCursors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The values of one reserved block not handed out yet. <see cref="Def"/> is the image's definition the
    /// block was reserved in: a dropped or re-created sequence has another one, so its stale block is discarded.</summary>
    private sealed class SequenceCursor(SequenceDef def, long next, int remaining, int blockSize)
    {
        public SequenceDef Def { get; } = def;
        public int BlockSize { get; } = blockSize;
        public long Next { get; set; } = next;
        public int Remaining { get; set; } = remaining;
    }

    /// <summary>The next value of the sequence (thread-safe). Throws 42P01 when it does not exist, 2200H past its end.</summary>
    public long NextSequenceValue(ObjectPath path)
    {
        var key = path.ToString();
        lock (_sequenceGate)
        {
            _sequenceCursors.TryGetValue(key, out var cursor);
            var current = cursor is not null && ReferenceEquals(FindSequence(path), cursor.Def);
            if (!current || cursor!.Remaining == 0)
            {
                var size = current ? Math.Min(MaxSequenceBlock, cursor!.BlockSize * 2) : SequenceBlock;
                // Blocking on the commit is fine here: the DDL path never waits for this lock.
                cursor = ReserveBlockAsync(path, size).GetAwaiter().GetResult();
                _sequenceCursors[key] = cursor;
            }
            var value = cursor.Next;
            cursor.Remaining--;
            if (cursor.Remaining > 0)
            {
                cursor.Def.TryAdvance(value, out var following);
                cursor.Next = following;
            }
            return value;
        }
    }

    private Task<SequenceCursor> ReserveBlockAsync(ObjectPath path, int size) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var s = d.FindSequence(path.Name) ?? throw new TarnException(SqlStates.UndefinedTable, $"sequence '{path}' does not exist");
        if (s.Exhausted)
            throw new TarnException(SqlStates.SequenceGeneratorLimitExceeded, $"nextval: reached {(s.Increment > 0 ? "maximum" : "minimum")} value of sequence '{path}' ({(s.Increment > 0 ? s.MaxValue : s.MinValue)})");
        var first = s.Next;
        var count = 1;
        var value = first;
        var exhausted = false;
        long after = first;
        while (true)
        {
            if (!s.TryAdvance(value, out after)) { exhausted = true; break; }
            if (count == size) break;
            value = after;
            count++;
        }
        var reserved = s with { Next = exhausted ? s.Next : after, Exhausted = exhausted };
        var updated = d with { Sequences = Swap(d.Sequences, s, reserved) };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), new SequenceCursor(reserved, first, count, size));
    });
}
