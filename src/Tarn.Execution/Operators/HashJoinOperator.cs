using Tarn.Execution.Expressions;
using Tarn.Execution.Joins;
using Tarn.Execution.Spilling;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Operators;

/// <summary>
/// Equi-join: <c>leftKeys[i] = rightKeys[i]</c> for all i (NULL keys never match), plus an optional
/// <c>residual</c> condition over the concatenated row (left columns, then right columns) that must be TRUE.
/// Builds a hash table on <c>right</c> (read fully on the first <see cref="Next"/>) and streams <c>left</c> through
/// it batch by batch. Output as described by <see cref="JoinKind"/>; Right/Full emit the unmatched build rows after
/// the probe side ends.
/// <para>When the build side outgrows the query memory limit and the context has a spill directory, it becomes a
/// grace hash join: both sides are split by a hash of their keys into <see cref="SpillPartitions.Fanout"/> spill
/// partitions and each pair of partitions is joined on its own (a partition still too large is split again, one level
/// deeper). Only when one partition cannot be split (very many build rows with one key) does it fail with 53200.</para>
/// </summary>
public sealed class HashJoinOperator : IBatchOperator
{
    private readonly IBatchOperator _left;
    private readonly IBatchOperator _right;
    private readonly JoinKind _kind;
    private readonly BoundExpression? _residual;
    private readonly BoundExpression? _markCondition;
    private readonly VectorExpression[] _leftKeys;
    private readonly VectorExpression[] _rightKeys;
    private readonly DataType[] _keyTypes;
    private readonly ExecutionContext _context;
    private readonly List<IDisposable> _open = [];
    private IEnumerator<ColumnBatch>? _output;

    public HashJoinOperator(IBatchOperator left, IBatchOperator right, JoinKind kind,
        IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys,
        BoundExpression? residual, ExecutionContext context, BoundExpression? markCondition = null)
    {
        if (leftKeys.Count == 0 || leftKeys.Count != rightKeys.Count)
            throw new ArgumentException("a hash join needs the same positive number of left and right keys");
        _left = left;
        _right = right;
        _kind = kind;
        _residual = residual;
        _context = context;
        var compiler = new ExpressionCompiler(context);
        _leftKeys = new VectorExpression[leftKeys.Count];
        _rightKeys = new VectorExpression[rightKeys.Count];
        _keyTypes = new DataType[leftKeys.Count];
        for (var i = 0; i < _keyTypes.Length; i++)
        {
            _keyTypes[i] = leftKeys[i].Type;
            if (leftKeys[i].Type.Physical != rightKeys[i].Type.Physical)
                throw new ArgumentException($"join key {i} has different types: {leftKeys[i].Type.ToSql()} and {rightKeys[i].Type.ToSql()}");
            _leftKeys[i] = compiler.Compile(leftKeys[i]);
            _rightKeys[i] = compiler.Compile(rightKeys[i]);
        }
        _markCondition = markCondition;
        OutputTypes = new JoinEmitter(kind, left.OutputTypes, right.OutputTypes, residual, context, markCondition).OutputTypes;
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    /// <summary>Partition pairs joined from spill files so far (for tests).</summary>
    public int SpilledPartitions { get; private set; }

    public ColumnBatch? Next()
    {
        _output ??= Run().GetEnumerator();
        return _output.MoveNext() ? _output.Current : null;
    }

    // A mark join's TRUE/FALSE/NULL per probe row depends on the whole build side, so it is never split into partitions.
    private bool Spillable => _context.SpillDirectory is not null && _kind != JoinKind.Mark;

    private IEnumerable<ColumnBatch> Batches(IBatchOperator op)
    {
        while (op.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            if (batch.RowCount > 0) yield return batch;
        }
    }

    private IEnumerable<ColumnBatch> Run()
    {
        using var right = Batches(_right).GetEnumerator();
        using var partition = Own(new Partition(this));
        if (partition.Fill(right))
        {
            foreach (var output in partition.JoinWith(Batches(_left))) yield return output;
            yield break;
        }
        // grace hash join: spill both sides by key hash and join partition by partition
        var build = Own(new SpillPartitions(_context.SpillDirectory!, _right.OutputTypes, _keyTypes, 0));
        var probe = Own(new SpillPartitions(_context.SpillDirectory!, _left.OutputTypes, _keyTypes, 0));
        partition.SpillTo(build);
        Release(partition);
        while (right.MoveNext()) build.Write(right.Current, Keys(_rightKeys, right.Current));
        foreach (var batch in Batches(_left)) probe.Write(batch, Keys(_leftKeys, batch));
        for (var p = 0; p < SpillPartitions.Fanout; p++)
            foreach (var output in JoinSpilled(build.Take(p), probe.Take(p), 0)) yield return output;
    }

    /// <summary>Joins one pair of spilled partitions (either may be missing), splitting them further when needed.</summary>
    private IEnumerable<ColumnBatch> JoinSpilled(SpillFile? buildFile, SpillFile? probeFile, int level)
    {
        if (buildFile is not null) Own(buildFile);
        if (probeFile is not null) Own(probeFile);
        var emitsProbeAlone = _kind is JoinKind.Left or JoinKind.Full or JoinKind.Anti;
        var emitsBuildAlone = _kind is JoinKind.Right or JoinKind.Full;
        if ((probeFile is null && !emitsBuildAlone) || (buildFile is null && !emitsProbeAlone))
        {
            if (buildFile is not null) Release(buildFile);
            if (probeFile is not null) Release(probeFile);
            yield break;
        }
        SpilledPartitions++;
        var probeRows = probeFile?.Read() ?? [];
        using (var build = (buildFile?.Read() ?? []).GetEnumerator())
        {
            var partition = Own(new Partition(this));
            if (partition.Fill(build))
            {
                foreach (var output in partition.JoinWith(probeRows)) yield return output;
                Release(partition);
            }
            else
            {
                // splitting by key hash cannot shrink the rows of one key: they come back here at every level
                if (level + 1 >= SpillPartitions.MaxLevel)
                    throw new TarnException(SqlStates.OutOfMemory,
                        $"out of memory: a hash join partition does not fit the query memory limit of {MemoryBudget.Mb(_context.Memory.Limit)} " +
                        $"even after spilling (about {partition.RowCount + buildFile!.RowCount} build rows share too few join keys); " +
                        "raise 'query.memory-limit' or join on more selective keys");
                var subBuild = Own(new SpillPartitions(_context.SpillDirectory!, _right.OutputTypes, _keyTypes, level + 1));
                var subProbe = Own(new SpillPartitions(_context.SpillDirectory!, _left.OutputTypes, _keyTypes, level + 1));
                partition.SpillTo(subBuild);
                Release(partition);
                while (build.MoveNext()) subBuild.Write(build.Current, Keys(_rightKeys, build.Current));
                foreach (var batch in probeRows)
                {
                    _context.ThrowIfCanceled();
                    subProbe.Write(batch, Keys(_leftKeys, batch));
                }
                if (buildFile is not null) Release(buildFile);
                if (probeFile is not null) Release(probeFile);
                for (var p = 0; p < SpillPartitions.Fanout; p++)
                    foreach (var output in JoinSpilled(subBuild.Take(p), subProbe.Take(p), level + 1)) yield return output;
                Release(subBuild);
                Release(subProbe);
            }
        }
        if (buildFile is not null) Release(buildFile);
        if (probeFile is not null) Release(probeFile);
    }

    private static ColumnVector[] Keys(VectorExpression[] expressions, ColumnBatch batch)
    {
        var keys = new ColumnVector[expressions.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = expressions[i].Evaluate(batch);
        return keys;
    }

    private T Own<T>(T resource) where T : IDisposable
    {
        _open.Add(resource);
        return resource;
    }

    private void Release(IDisposable resource)
    {
        if (_open.Remove(resource)) resource.Dispose();
    }

    /// <summary>One in-memory hash join: the build rows of (a partition of) the right side and their hash table.</summary>
    private sealed class Partition(HashJoinOperator owner) : IDisposable
    {
        private readonly JoinHashTable _table = new(owner._keyTypes);
        private readonly BuildSide _build = new(owner._right.OutputTypes, owner._context, "hash join");
        private int[] _keyIds = [];

        public int RowCount => _build.RowCount;

        /// <summary>
        /// Reads all build batches and returns true, or returns false as soon as they outgrew the memory limit
        /// (spilling possible); the rest is still in <paramref name="input"/>.
        /// </summary>
        public bool Fill(IEnumerator<ColumnBatch> input)
        {
            while (input.MoveNext())
            {
                var batch = input.Current;
                var n = batch.RowCount;
                _table.Insert(Keys(owner._rightKeys, batch), n, _build.RowCount);
                _build.Append(batch);
                if (!owner.Spillable) _build.TrackMemory(_table.MemoryBytes);
                else if (!_build.TryTrackMemory(_table.MemoryBytes)) return false;
            }
            return true;
        }


        public IEnumerable<ColumnBatch> JoinWith(IEnumerable<ColumnBatch> probe)
        {
            var emitter = new JoinEmitter(owner._kind, owner._left.OutputTypes, owner._right.OutputTypes, owner._residual, owner._context, owner._markCondition);
            emitter.SetBuild(_build.Columns, _build.RowCount);
            foreach (var batch in probe)
            {
                owner._context.ThrowIfCanceled();
                var n = batch.RowCount;
                if (_keyIds.Length < n) _keyIds = new int[n];
                _table.Find(Keys(owner._leftKeys, batch), n, _keyIds);
                foreach (var output in emitter.Probe(batch, _keyIds, _table.Heads, _table.NextRows, _table.UniqueKeys)) yield return output;
            }
            foreach (var output in emitter.UnmatchedBuild()) yield return output;
        }

        /// <summary>Writes the build rows held to spill partitions.</summary>
        public void SpillTo(SpillPartitions partitions)
        {
            var size = Math.Max(1, owner._context.BatchSize);
            for (var start = 0; start < _build.RowCount; start += size)
            {
                owner._context.ThrowIfCanceled();
                var length = Math.Min(size, _build.RowCount - start);
                var columns = new ColumnVector[_build.Columns.Length];
                for (var c = 0; c < columns.Length; c++) columns[c] = _build.Columns[c].Slice(start, length);
                var batch = new ColumnBatch(columns, length);
                partitions.Write(batch, Keys(owner._rightKeys, batch));
            }
        }

        public void Dispose() => _build.Dispose();
    }

    public void Dispose()
    {
        _output?.Dispose();
        for (var i = _open.Count - 1; i >= 0; i--) _open[i].Dispose();
        _open.Clear();
        _left.Dispose();
        _right.Dispose();
    }
}
