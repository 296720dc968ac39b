using Tarn.Storage.Format;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>One distinct row of a join side under one join key: how often it is present and, on a side that tracks
/// them, how many row occurrences of the other side currently match it (Flink's numOfAssociations).</summary>
internal struct JoinEntry
{
    public int Slot;
    /// <summary>The row's encoded bytes in the join's arena.</summary>
    public int Offset;
    public int Length;
    public long Count;
    public long Matches;
    /// <summary>The next entry of the same slot, or -1.</summary>
    public int Next;
}

/// <summary>
/// The rows of one join side under the join keys one input batch touches (Flink's JoinRecordStateView, loaded per
/// batch): entries chained per key slot, the number of state records (chunks) each key occupied when loaded, and
/// which keys changed and must be written back. State record layout of one key: chunk 0 (the head) starts with the
/// key's chunk count; every chunk then holds entries as [varint count][varint matches, if tracked][blob row].
/// </summary>
internal sealed class JoinRecordView(bool tracksMatches)
{
    public bool TracksMatches { get; } = tracksMatches;

    public JoinEntry[] Entries = new JoinEntry[64];
    public int Count;
    public int[] Head = [];
    private int[] _tail = [];
    public int[] ChunksBefore = [];
    public bool[] Dirty = [];

    public void Reset(int slots)
    {
        if (Head.Length < slots)
        {
            var size = Math.Max(slots, 64);
            Head = new int[size];
            _tail = new int[size];
            ChunksBefore = new int[size];
            Dirty = new bool[size];
        }
        Array.Fill(Head, -1, 0, slots);
        Array.Fill(_tail, -1, 0, slots);
        Array.Clear(ChunksBefore, 0, slots);
        Array.Clear(Dirty, 0, slots);
        Count = 0;
    }

    public int Add(int slot, int offset, int length, long count, long matches)
    {
        if (Count == Entries.Length) Array.Resize(ref Entries, Count * 2);
        var e = Count++;
        Entries[e] = new JoinEntry { Slot = slot, Offset = offset, Length = length, Count = count, Matches = matches, Next = -1 };
        if (_tail[slot] < 0) Head[slot] = e;
        else Entries[_tail[slot]].Next = e;
        _tail[slot] = e;
        return e;
    }

    /// <summary>Adds the entries of one stored chunk, which lies at <paramref name="baseOffset"/> of <paramref name="arena"/>.</summary>
    public void Parse(int slot, ReadOnlySpan<byte> arena, int baseOffset, int length, bool head)
    {
        var reader = new ByteReader(arena.Slice(baseOffset, length), "join state");
        if (head) ChunksBefore[slot] = reader.ReadInt32();
        while (!reader.AtEnd)
        {
            var count = reader.ReadVarInt();
            var matches = TracksMatches ? reader.ReadVarInt() : 0;
            var row = reader.ReadBlob();
            Add(slot, baseOffset + reader.Position - row.Length, row.Length, count, matches);
        }
    }

    /// <summary>
    /// Writes the live entries of <paramref name="slot"/> into <paramref name="w"/> (cleared first) and their chunk
    /// boundaries into <paramref name="chunkEnds"/>; returns the number of chunks (0 when the key has no rows left).
    /// The head chunk is kept to <paramref name="headLimit"/> bytes, so that appending chunks (which rewrites the head's
    /// chunk count, see <see cref="SerializeAppended"/>) stays cheap.
    /// </summary>
    public int Serialize(int slot, ReadOnlySpan<byte> arena, ByteWriter w, List<int> chunkEnds, int chunkLimit, int headLimit)
    {
        w.Clear();
        chunkEnds.Clear();
        w.WriteInt32(0); // chunk count, patched below
        var chunkStart = 0;
        var any = false;
        for (var e = Head[slot]; e >= 0; e = Entries[e].Next)
        {
            ref var entry = ref Entries[e];
            if (entry.Count <= 0) continue;
            if (any && w.Length - chunkStart + entry.Length > (chunkEnds.Count == 0 ? headLimit : chunkLimit))
            {
                chunkEnds.Add(w.Length);
                chunkStart = w.Length;
            }
            w.WriteVarInt(entry.Count);
            if (TracksMatches) w.WriteVarInt(entry.Matches);
            w.WriteBlob(arena.Slice(entry.Offset, entry.Length));
            any = true;
        }
        if (!any) return 0;
        chunkEnds.Add(w.Length);
        w.PatchUInt32(0, (uint)chunkEnds.Count);
        return chunkEnds.Count;
    }

    /// <summary>
    /// Append mode (an insert-only side whose stored rows did not change): writes only the live entries from
    /// <paramref name="firstNew"/> on, as overflow chunks (no chunk count) into <paramref name="w"/> (cleared first);
    /// returns the number of chunks.
    /// </summary>
    public int SerializeAppended(int slot, int firstNew, ReadOnlySpan<byte> arena, ByteWriter w, List<int> chunkEnds, int chunkLimit)
    {
        w.Clear();
        chunkEnds.Clear();
        var chunkStart = 0;
        var any = false;
        for (var e = Head[slot]; e >= 0; e = Entries[e].Next)
        {
            ref var entry = ref Entries[e];
            if (e < firstNew || entry.Count <= 0) continue;
            if (any && w.Length - chunkStart + entry.Length > chunkLimit)
            {
                chunkEnds.Add(w.Length);
                chunkStart = w.Length;
            }
            w.WriteVarInt(entry.Count);
            if (TracksMatches) w.WriteVarInt(entry.Matches);
            w.WriteBlob(arena.Slice(entry.Offset, entry.Length));
            any = true;
        }
        if (any) chunkEnds.Add(w.Length);
        return chunkEnds.Count;
    }
}
