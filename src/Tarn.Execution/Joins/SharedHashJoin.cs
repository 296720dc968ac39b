using Tarn.Execution.Expressions;
using Tarn.Execution.Operators;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Joins;

/// <summary>
/// A hash join whose probe (left) side runs inside a parallel morsel pipeline: <see cref="Build"/> reads the build
/// (right) input once into a hash table that every worker then probes read-only, each through its own
/// <see cref="JoinEmitter"/>, so the join costs no serial step per probe row. Only for kinds whose output for a probe
/// row depends on that row and the build side alone (not Right/Full, which track build rows across all probes).
/// When the build side outgrows the memory limit and could spill, <see cref="Probe"/> instead returns the serial
/// <see cref="HashJoinOperator"/> (a grace hash join) over the rows read so far plus the rest of the build input;
/// the owning pipeline then runs as one stream (see <see cref="Parallel.JoinPipelineSource"/>).
/// </summary>
internal sealed class SharedHashJoin : IDisposable
{
    private readonly JoinKind _kind;
    private readonly IReadOnlyList<DataType> _leftTypes;
    private readonly IReadOnlyList<DataType> _rightTypes;
    private readonly IReadOnlyList<BoundExpression> _leftKeys;
    private readonly IReadOnlyList<BoundExpression> _rightKeys;
    private readonly BoundExpression? _residual;
    private readonly BoundExpression? _markCondition;
    private readonly ExecutionContext _context;
    private readonly ThreadLocal<Prober> _probers;
    private IBatchOperator? _right; // owned until read fully or handed to the serial join
    private JoinHashTable? _table;
    private BuildSide? _build;
    private bool _overflowed;

    public SharedHashJoin(JoinKind kind, IReadOnlyList<DataType> leftTypes, IBatchOperator right,
        IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? residual,
        ExecutionContext context, BoundExpression? markCondition)
    {
        if (!Supports(kind)) throw new ArgumentException($"a {kind} join cannot probe in parallel", nameof(kind));
        _kind = kind;
        _leftTypes = leftTypes;
        _right = right;
        _rightTypes = right.OutputTypes;
        _leftKeys = leftKeys;
        _rightKeys = rightKeys;
        _residual = residual;
        _markCondition = markCondition;
        _context = context;
        OutputTypes = new JoinEmitter(kind, leftTypes, _rightTypes, residual, context, markCondition).OutputTypes;
        _probers = new ThreadLocal<Prober>(() => new Prober(this));
        _rightKeyCopies = KeyCopies(leftKeys, rightKeys, leftTypes, _rightTypes);
    }

    private readonly int[]? _rightKeyCopies;

    /// <summary>
    /// Per build column, the probe column equal to it on every joined row: both sides of an integer key that compares
    /// a column to a column of the same type (integer equality is identity, unlike floating point or collated text).
    /// </summary>
    private static int[]? KeyCopies(IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys,
        IReadOnlyList<DataType> leftTypes, IReadOnlyList<DataType> rightTypes)
    {
        int[]? copies = null;
        for (var k = 0; k < leftKeys.Count; k++)
        {
            if (leftKeys[k] is not BoundColumnRef l || rightKeys[k] is not BoundColumnRef r) continue;
            var type = rightTypes[r.Index].WithNullable(false);
            if (!leftTypes[l.Index].WithNullable(false).Equals(type) || !Aggregation.IntegerGroupTable.Supports(type)) continue;
            if (copies is null)
            {
                copies = new int[rightTypes.Count];
                Array.Fill(copies, -1);
            }
            copies[r.Index] = l.Index;
        }
        return copies;
    }

    /// <summary>Join kinds whose probe rows can be joined independently of each other.</summary>
    public static bool Supports(JoinKind kind) =>
        kind is JoinKind.Inner or JoinKind.Left or JoinKind.Semi or JoinKind.Anti or JoinKind.Mark or JoinKind.Single;

    public IReadOnlyList<DataType> OutputTypes { get; }

    /// <summary>
    /// Set when every consumer of the probes' output is done with a batch before asking for the next (see
    /// <see cref="JoinEmitter.ReuseOutputArrays"/>): a parallel aggregation's pipeline.
    /// </summary>
    public bool ReuseOutputArrays { get; init; }

    /// <summary>
    /// Reads the build input into the shared table (once, before any probe). Returns false when it outgrew the
    /// memory limit and the join can spill: then <see cref="Probe"/> must be called once, over the whole probe input.
    /// </summary>
    public bool Build()
    {
        var right = _right ?? throw new InvalidOperationException("the join's build side was read already");
        var compiler = new ExpressionCompiler(_context);
        var keys = new VectorExpression[_rightKeys.Count];
        var keyTypes = new DataType[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = compiler.Compile(_rightKeys[i]);
            keyTypes[i] = _leftKeys[i].Type;
        }
        _table = new JoinHashTable(keyTypes);
        _build = new BuildSide(_rightTypes, _context, "hash join");
        // as in HashJoinOperator: a mark join's result depends on the whole build side, so it never spills
        var spillable = _context.SpillDirectory is not null && _kind != JoinKind.Mark;
        while (right.Next() is { } batch)
        {
            _context.ThrowIfCanceled();
            var n = batch.RowCount;
            if (n == 0) continue;
            _table.Insert(Evaluate(keys, batch), n, _build.RowCount);
            _build.Append(batch);
            if (!spillable) _build.TrackMemory(_table.MemoryBytes);
            else if (!_build.TryTrackMemory(_table.MemoryBytes))
            {
                _overflowed = true;
                return false;
            }
        }
        right.Dispose();
        _right = null;
        return true;
    }

    /// <summary>The join over <paramref name="probe"/> (one morsel's pipeline, or all of them when the build overflowed).</summary>
    public IBatchOperator Probe(IBatchOperator probe)
    {
        if (_table is null) throw new InvalidOperationException("the join's build side was not read yet");
        if (!_overflowed) return new ProbeOperator(this, probe);
        // Hand the rows read so far and the rest of the build input to a serial (spilling) hash join; it charges
        // the rows again, so this reservation ends here.
        var right = _right ?? throw new InvalidOperationException("the overflowing join was already handed over");
        _right = null;
        var replay = new ReplayThenRest(_build!.Columns, _build.RowCount, right, _context.BatchSize);
        _build.Dispose();
        return new HashJoinOperator(probe, replay, _kind, _leftKeys, _rightKeys, _residual, _context, _markCondition);
    }

    private static ColumnVector[] Evaluate(VectorExpression[] expressions, ColumnBatch batch)
    {
        var keys = new ColumnVector[expressions.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = expressions[i].Evaluate(batch);
        return keys;
    }

    public void Dispose()
    {
        _right?.Dispose();
        _right = null;
        _build?.Dispose();
        _probers.Dispose();
    }

    /// <summary>One worker thread's probe state: compiled key expressions, emitter and key-id scratch.</summary>
    private sealed class Prober
    {
        public Prober(SharedHashJoin join)
        {
            var compiler = new ExpressionCompiler(join._context);
            Keys = new VectorExpression[join._leftKeys.Count];
            for (var i = 0; i < Keys.Length; i++) Keys[i] = compiler.Compile(join._leftKeys[i]);
            Emitter = new JoinEmitter(join._kind, join._leftTypes, join._rightTypes, join._residual, join._context, join._markCondition)
            {
                WholeProbeBatches = true,
                RightKeyCopies = join._rightKeyCopies,
                ReuseOutputArrays = join.ReuseOutputArrays,
            };
            Emitter.SetBuild(join._build!.Columns, join._build.RowCount);
        }

        public VectorExpression[] Keys { get; }

        public JoinEmitter Emitter { get; }

        public int[] KeyIds { get; set; } = [];
    }

    /// <summary>
    /// Joins one morsel's probe batches with the shared table. The thread's emitter and key ids are reused by the
    /// next batch only after this one's output is drained (a worker runs one pipeline at a time).
    /// </summary>
    private sealed class ProbeOperator(SharedHashJoin join, IBatchOperator input) : IBatchOperator
    {
        private IEnumerator<ColumnBatch>? _output;

        public IReadOnlyList<DataType> OutputTypes => join.OutputTypes;

        public ColumnBatch? Next()
        {
            while (true)
            {
                if (_output is not null)
                {
                    if (_output.MoveNext()) return _output.Current;
                    _output.Dispose();
                    _output = null;
                }
                if (input.Next() is not { } batch) return null;
                var n = batch.RowCount;
                if (n == 0) continue;
                join._context.ThrowIfCanceled();
                var prober = join._probers.Value!;
                if (prober.KeyIds.Length < n) prober.KeyIds = new int[n];
                var table = join._table!;
                table.FindConcurrent(Evaluate(prober.Keys, batch), n, prober.KeyIds);
                _output = prober.Emitter.Probe(batch, prober.KeyIds, table.Heads, table.NextRows, table.UniqueKeys).GetEnumerator();
            }
        }

        public void Dispose()
        {
            _output?.Dispose();
            input.Dispose();
        }
    }

    /// <summary>The build rows read before the overflow (in slices of the batch size), then the rest of the build input.</summary>
    private sealed class ReplayThenRest(ColumnVector[] columns, int rows, IBatchOperator rest, int batchSize) : IBatchOperator
    {
        private readonly int _batchSize = Math.Max(1, batchSize);
        private int _next;

        public IReadOnlyList<DataType> OutputTypes => rest.OutputTypes;

        public ColumnBatch? Next()
        {
            if (_next >= rows) return rest.Next();
            var length = Math.Min(_batchSize, rows - _next);
            var slice = new ColumnVector[columns.Length];
            for (var c = 0; c < slice.Length; c++) slice[c] = columns[c].Slice(_next, length);
            _next += length;
            return new ColumnBatch(slice, length);
        }

        public void Dispose() => rest.Dispose();
    }
}
