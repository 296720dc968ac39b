using Tarn.Execution.Vectors;
using Tarn.Storage.Tables;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Streaming.Operators;

public sealed partial class StreamJoin
{
    /// <summary>
    /// The output changes of one input batch, in order: per change, the left and right source rows (-1 = NULLs) and
    /// its kind. Built into one batch by gathering the sources' columns, so output costs no per-row virtual calls.
    /// </summary>
    private sealed class Emissions
    {
        private int[] _left = new int[256];
        private int[] _right = new int[256];
        private sbyte[] _kinds = new sbyte[256];

        public int Count { get; private set; }

        public void Clear() => Count = 0;

        public void Add(int left, int right, sbyte kind)
        {
            if (Count == _left.Length)
            {
                Array.Resize(ref _left, Count * 2);
                Array.Resize(ref _right, Count * 2);
                Array.Resize(ref _kinds, Count * 2);
            }
            _left[Count] = left;
            _right[Count] = right;
            _kinds[Count++] = kind;
        }

        /// <summary>The changes as a batch: left columns, then (unless a semi/anti join) right columns.</summary>
        public ChangeBatch Build(ColumnVector[] leftSource, ColumnVector[] rightSource, DataType[] outputTypes, bool withRight)
        {
            var n = Count;
            var columns = new ColumnVector[outputTypes.Length];
            for (var c = 0; c < leftSource.Length; c++) columns[c] = GatherOrNull(leftSource[c], _left.AsSpan(0, n), outputTypes[c]);
            if (withRight)
                for (var c = 0; c < rightSource.Length; c++)
                    columns[leftSource.Length + c] = GatherOrNull(rightSource[c], _right.AsSpan(0, n), outputTypes[leftSource.Length + c]);
            var allInserts = true;
            for (var i = 0; i < n && allInserts; i++) allInserts = _kinds[i] == (sbyte)RowKind.Insert;
            return new ChangeBatch(new ColumnBatch(columns, n), allInserts ? null : _kinds.AsSpan(0, n).ToArray());
        }

        /// <summary>The source rows at <paramref name="rows"/>, NULL where a row is -1.</summary>
        private static ColumnVector GatherOrNull(ColumnVector source, ReadOnlySpan<int> rows, DataType type)
        {
            var n = rows.Length;
            if (!rows.Contains(-1)) return PhysicalValues.Retype(source.Gather(rows), type);
            if (source.Count == 0 || rows.IndexOfAnyExcept(-1) < 0) return PhysicalValues.Repeat(type, null, n);
            var valid = new int[n];
            var nulls = new byte[n];
            for (var i = 0; i < n; i++)
            {
                if (rows[i] < 0) nulls[i] = 1;
                else valid[i] = rows[i];
            }
            var gathered = source.Gather(valid);
            if (gathered.Nulls is { } sourceNulls)
                for (var i = 0; i < n; i++) nulls[i] |= sourceNulls[i];
            return PhysicalValues.WithNulls(PhysicalValues.Retype(gathered, type), nulls);
        }
    }
}
