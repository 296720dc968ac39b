using Tarn.Storage.Encodings;
using Tarn.Types;

namespace Tarn.Storage.Segments;

/// <summary>
/// Folds chunk statistics of one column into segment statistics: bounds widen, NULL counts add up, distinct
/// sketches merge register by register (the estimate is kept between the largest chunk count and the sum).
/// </summary>
internal sealed class SegmentStatsMerger
{
    private readonly PhysicalType _physical;
    private readonly DistinctSketch _sketch = new();
    private long _rows;
    private long _nulls;
    private long _maxChunkDistinct;
    private long _sumChunkDistinct;
    private bool _hasNaN;
    private bool _sketchMissing;
    private bool _anyBounds;
    private bool _maxUnknown;
    private Int128 _minInt, _maxInt;
    private double _minFloat, _maxFloat;
    private byte[]? _minBytes, _maxBytes;
    private bool _minTruncated;

    public SegmentStatsMerger(PhysicalType physical) => _physical = physical;

    public void Add(ColumnStats chunk, int rows, DistinctSketch? sketch)
    {
        _rows += rows;
        _nulls += chunk.NullCount;
        _maxChunkDistinct = Math.Max(_maxChunkDistinct, chunk.DistinctEstimate);
        _sumChunkDistinct += chunk.DistinctEstimate;
        if (sketch is not null) _sketch.Merge(sketch);
        else if (chunk.NullCount < rows) _sketchMissing = true;
        _hasNaN |= chunk.HasNaN;
        if (chunk.NullCount == rows) return;
        switch (_physical)
        {
            case PhysicalType.Binary:
                if (chunk.MinBytes is null) break;
                if (!_anyBounds || chunk.MinBytes.AsSpan().SequenceCompareTo(_minBytes) < 0)
                {
                    _minBytes = chunk.MinBytes;
                    _minTruncated = chunk.MinBytesTruncated;
                }
                if (chunk.MaxBytes is null) _maxUnknown = true;
                else if (_maxBytes is null || chunk.MaxBytes.AsSpan().SequenceCompareTo(_maxBytes) > 0) _maxBytes = chunk.MaxBytes;
                _anyBounds = true;
                break;
            case PhysicalType.Float32:
            case PhysicalType.Float64:
                if (!chunk.HasMinMax) break;
                if (!_anyBounds || TotalOrder.Compare(chunk.MinFloat, _minFloat) < 0) _minFloat = chunk.MinFloat;
                if (!_anyBounds || TotalOrder.Compare(chunk.MaxFloat, _maxFloat) > 0) _maxFloat = chunk.MaxFloat;
                _anyBounds = true;
                break;
            default:
                if (!_anyBounds || chunk.MinInt < _minInt) _minInt = chunk.MinInt;
                if (!_anyBounds || chunk.MaxInt > _maxInt) _maxInt = chunk.MaxInt;
                _anyBounds = true;
                break;
        }
    }

    public ColumnStats Result()
    {
        var nonNull = _rows - _nulls;
        var upper = Math.Min(_sumChunkDistinct, nonNull);
        // Booleans are encoded without a sketch; the value range bounds their distinct count instead.
        if (_sketchMissing && _anyBounds && _physical != PhysicalType.Binary && _physical is not (PhysicalType.Float32 or PhysicalType.Float64))
        {
            var range = (UInt128)(_maxInt - _minInt) + 1;
            upper = Math.Min(upper, range > long.MaxValue ? long.MaxValue : (long)range);
        }
        var estimate = _sketchMissing ? upper : _sketch.Estimate();
        var distinct = nonNull == 0 ? 0 : Math.Clamp(estimate, Math.Min(_maxChunkDistinct, upper), upper);
        var isFloat = _physical is PhysicalType.Float32 or PhysicalType.Float64;
        var bounded = _anyBounds && !(isFloat && _hasNaN);
        var maxBytes = _maxUnknown ? null : _maxBytes;
        return new ColumnStats
        {
            NullCount = _nulls,
            DistinctEstimate = distinct,
            DistinctIsExact = nonNull == 0,
            HasMinMax = _physical == PhysicalType.Binary ? _minBytes is not null && maxBytes is not null : bounded,
            MinInt = bounded && !isFloat ? _minInt : 0,
            MaxInt = bounded && !isFloat ? _maxInt : 0,
            MinFloat = bounded && isFloat ? _minFloat : 0,
            MaxFloat = bounded && isFloat ? _maxFloat : 0,
            MinBytes = _minBytes,
            MaxBytes = maxBytes,
            MinBytesTruncated = _minBytes is not null && _minTruncated,
            HasNaN = _hasNaN,
        };
    }
}
