using Tarn.Execution.Streaming.State;
using Tarn.Storage.Tables;
using Tarn.Storage.Format;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

/// <summary>
/// The state of a Top-N over a retracting input, which must keep every row of a partition (a retracted top row is
/// replaced by the best one below it): the partition's rows, in rank order, are cut into pages of about
/// <see cref="PageEntries"/> to twice that many distinct rows, each page one state entry, plus a header entry listing the pages (id, row
/// count, first row). A change reads the header, the pages holding the first <c>End</c> rows and the page where the
/// changed row belongs, and rewrites only the pages it changed and the header — not the whole partition.
/// </summary>
public sealed partial class StreamTopN
{
    private const byte HeaderSpace = 2;
    private const byte PageSpace = 3;

    /// <summary>Distinct rows per page; a page splits above twice this (small values let tests split pages often).</summary>
    public int PageEntries { get; init; } = 128;

    private sealed class PageRef(long id, long rows, byte[] firstSort, byte[] firstRow)
    {
        public long Id { get; } = id;
        public long Rows { get; set; } = rows;
        public byte[] FirstSort { get; set; } = firstSort;
        public byte[] FirstRow { get; set; } = firstRow;
    }

    private sealed class PagedPartition
    {
        public List<PageRef> Pages { get; } = [];
        public Dictionary<long, List<RankedRow>> Loaded { get; } = [];
        public HashSet<long> Dirty { get; } = [];
        public HashSet<long> Removed { get; } = [];
        public long NextPageId { get; set; }
        public bool Stored { get; set; }
        public bool Changed { get; set; }
    }

    private readonly List<PagedPartition> _paged = [];

    /// <summary>Applies a batch of a retracting input: the paged counterpart of the single-entry path in Push.</summary>
    private void PushPaged(ColumnBatch rows, sbyte[]? kinds, int[] slotOfRow, ColumnVector[] orderVectors)
    {
        var n = rows.RowCount;
        var changes = new RankedRow[n];
        for (var r = 0; r < n; r++)
        {
            _scratch.Clear();
            for (var k = 0; k < orderVectors.Length; k++) OrderedKeyCodec.Write(_scratch, orderVectors[k], r, _descending[k], _nullsFirst[k]);
            var sort = _scratch.ToArray();
            _scratch.Clear();
            for (var c = 0; c < rows.ColumnCount; c++) ValueCodec.Write(_scratch, rows[c], r);
            changes[r] = new RankedRow(sort, _scratch.ToArray(), 1);
        }
        LoadHeaders();
        LoadPages(changes, slotOfRow);
        var before = new byte[_paged.Count][][];
        for (var s = 0; s < _paged.Count; s++) before[s] = [.. TopPaged(s)];
        for (var r = 0; r < n; r++)
        {
            if (kinds is null || RowKinds.IsLive(kinds[r])) AddPaged(slotOfRow[r], changes[r]);
            else RetractPaged(slotOfRow[r], changes[r]);
        }
        _retractions.Clear();
        _additions.Clear();
        for (var s = 0; s < _paged.Count; s++)
        {
            if (!_paged[s].Changed) continue;
            var after = TopPaged(s).ToArray();
            if (_spec.RankInOutput || _spec.Start == _spec.End) DiffPositions(before[s], after);
            else DiffMembers(before[s], after);
            StorePaged(s);
        }
        Emit();
    }

    private byte[] HeaderKey(int slot)
    {
        var w = _state.BeginKey(HeaderSpace);
        w.WriteBytes(_grouper.Keys[slot]);
        return w.ToArray();
    }

    private byte[] PageKey(int slot, long page)
    {
        var w = _state.BeginKey(PageSpace);
        w.WriteInt64(page);
        w.WriteBytes(_grouper.Keys[slot]);
        return w.ToArray();
    }

    private void LoadHeaders()
    {
        _paged.Clear();
        _reads.Clear();
        for (var s = 0; s < _grouper.Count; s++) _reads.Add(HeaderKey(s));
        _state.Session.Read(_reads);
        for (var s = 0; s < _grouper.Count; s++)
        {
            var p = new PagedPartition();
            _paged.Add(p);
            if (!_reads.TryGetValue(s, out var stored)) continue;
            p.Stored = true;
            var reader = new ByteReader(stored, "top-n header");
            p.NextPageId = reader.ReadInt64();
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadInt64();
                var rowCount = reader.ReadInt64();
                var firstSort = reader.ReadBlob().ToArray();
                p.Pages.Add(new PageRef(id, rowCount, firstSort, reader.ReadBlob().ToArray()));
            }
        }
    }

    /// <summary>Reads, in one batch, the pages of the first End rows of each partition and the pages the changes go to.</summary>
    private void LoadPages(RankedRow[] changes, int[] slotOfRow)
    {
        var wanted = new List<(int Slot, long Page)>();
        var seen = new HashSet<(int, long)>();
        void Want(int slot, long page)
        {
            if (seen.Add((slot, page))) wanted.Add((slot, page));
        }
        for (var s = 0; s < _paged.Count; s++)
        {
            long rows = 0;
            foreach (var page in _paged[s].Pages)
            {
                if (rows >= _spec.End) break;
                Want(s, page.Id);
                rows += page.Rows;
            }
        }
        for (var r = 0; r < changes.Length; r++)
        {
            var p = _paged[slotOfRow[r]];
            if (p.Pages.Count > 0) Want(slotOfRow[r], p.Pages[Locate(p, changes[r])].Id);
        }
        _reads.Clear();
        foreach (var (slot, page) in wanted) _reads.Add(PageKey(slot, page));
        _state.Session.Read(_reads);
        for (var i = 0; i < wanted.Count; i++)
        {
            if (!_reads.TryGetValue(i, out var stored)) throw new InvalidOperationException("a Top-N state page is missing");
            _paged[wanted[i].Slot].Loaded[wanted[i].Page] = DecodePage(stored);
        }
    }

    private static List<RankedRow> DecodePage(ReadOnlySpan<byte> stored)
    {
        var reader = new ByteReader(stored, "top-n page");
        var count = reader.ReadInt32();
        var entries = new List<RankedRow>(count);
        for (var i = 0; i < count; i++)
        {
            var sort = reader.ReadBlob().ToArray();
            var row = reader.ReadBlob().ToArray();
            entries.Add(new RankedRow(sort, row, reader.ReadInt32()));
        }
        return entries;
    }

    private List<RankedRow> Page(int slot, PageRef page)
    {
        var p = _paged[slot];
        if (p.Loaded.TryGetValue(page.Id, out var entries)) return entries;
        // A page below the ones read up front (rows moved up after retractions): read it now.
        if (!_state.Session.TryRead(PageKey(slot, page.Id), out var stored)) throw new InvalidOperationException("a Top-N state page is missing");
        entries = DecodePage(stored);
        p.Loaded[page.Id] = entries;
        return entries;
    }

    /// <summary>The index of the page an entry belongs to: the last page whose first row is not after it.</summary>
    private static int Locate(PagedPartition p, RankedRow entry)
    {
        int lo = 1, hi = p.Pages.Count - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var page = p.Pages[mid];
            var c = page.FirstSort.AsSpan().SequenceCompareTo(entry.Sort);
            if (c == 0) c = page.FirstRow.AsSpan().SequenceCompareTo(entry.Row);
            if (c <= 0)
            {
                found = mid;
                lo = mid + 1;
            }
            else hi = mid - 1;
        }
        return found;
    }

    private void AddPaged(int slot, RankedRow entry)
    {
        var p = _paged[slot];
        p.Changed = true;
        if (p.Pages.Count == 0)
        {
            var id = p.NextPageId++;
            p.Pages.Add(new PageRef(id, 0, entry.Sort, entry.Row));
            p.Loaded[id] = [];
        }
        var index = Locate(p, entry);
        var page = p.Pages[index];
        var entries = Page(slot, page);
        Add(entries, entry);
        page.Rows++;
        p.Dirty.Add(page.Id);
        if (entries.Count > 2 * PageEntries) Split(slot, index, entries);
        SetFirst(page, entries);
    }

    private void RetractPaged(int slot, RankedRow entry)
    {
        var p = _paged[slot];
        if (p.Pages.Count == 0) return;
        var index = Locate(p, entry);
        var page = p.Pages[index];
        var entries = Page(slot, page);
        var i = entries.BinarySearch(entry, RankedRowOrder.Instance);
        if (i < 0) return; // a retraction of a row never seen is ignored
        p.Changed = true;
        if (--entries[i].Count == 0) entries.RemoveAt(i);
        page.Rows--;
        p.Dirty.Add(page.Id);
        if (entries.Count == 0)
        {
            p.Pages.RemoveAt(index);
            p.Removed.Add(page.Id);
        }
        else SetFirst(page, entries);
    }

    private static void SetFirst(PageRef page, List<RankedRow> entries)
    {
        page.FirstSort = entries[0].Sort;
        page.FirstRow = entries[0].Row;
    }

    /// <summary>Moves the second half of an overfull page to a new page right after it.</summary>
    private void Split(int slot, int index, List<RankedRow> entries)
    {
        var p = _paged[slot];
        var half = entries.Count / 2;
        var moved = entries.GetRange(half, entries.Count - half);
        entries.RemoveRange(half, entries.Count - half);
        long movedRows = 0;
        foreach (var e in moved) movedRows += e.Count;
        var id = p.NextPageId++;
        p.Pages[index].Rows -= movedRows;
        p.Pages.Insert(index + 1, new PageRef(id, movedRows, moved[0].Sort, moved[0].Row));
        p.Loaded[id] = moved;
        p.Dirty.Add(id);
    }

    /// <summary>The rows at positions 1..End of a partition, reading further pages if the ones read up front fall short.</summary>
    private List<byte[]> TopPaged(int slot)
    {
        var rows = new List<byte[]>();
        foreach (var page in _paged[slot].Pages)
        {
            if (rows.Count >= _spec.End) break;
            foreach (var e in Page(slot, page))
            {
                for (var c = 0; c < e.Count && rows.Count < _spec.End; c++) rows.Add(e.Row);
                if (rows.Count >= _spec.End) break;
            }
        }
        return rows;
    }

    private void StorePaged(int slot)
    {
        var p = _paged[slot];
        foreach (var id in p.Removed) _state.Session.Delete(PageKey(slot, id));
        foreach (var id in p.Dirty)
        {
            if (p.Removed.Contains(id)) continue;
            var entries = p.Loaded[id];
            _value.Clear();
            _value.WriteInt32(entries.Count);
            foreach (var e in entries)
            {
                _value.WriteBlob(e.Sort);
                _value.WriteBlob(e.Row);
                _value.WriteInt32(e.Count);
            }
            _state.Session.Upsert(PageKey(slot, id), _value.WrittenSpan);
        }
        var header = HeaderKey(slot);
        if (p.Pages.Count == 0)
        {
            if (p.Stored) _state.Session.Delete(header);
            return;
        }
        _value.Clear();
        _value.WriteInt64(p.NextPageId);
        _value.WriteInt32(p.Pages.Count);
        foreach (var page in p.Pages)
        {
            _value.WriteInt64(page.Id);
            _value.WriteInt64(page.Rows);
            _value.WriteBlob(page.FirstSort);
            _value.WriteBlob(page.FirstRow);
        }
        _state.Session.Upsert(header, _value.WrittenSpan);
    }
}
