using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>LIKE with a pattern (or escape) that varies per row; the last compiled pattern is reused.</summary>
public sealed class LikeFunction(VectorExpression[] args, DataType type, bool negated) : FunctionKernel(args, type, liftable: false)
{
    private string? _lastPattern;
    private string? _lastEscape;
    private LikePattern? _compiled;

    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var nulls = StrictNulls(args, n);
        var text = new StringView(args[0]);
        var patterns = new StringView(args[1]);
        var escapes = args.Length > 2 ? new StringView(args[2]) : default;
        var result = new bool[Math.Max(n, 1)];
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) continue;
            var pattern = Utf8Text.Decode(patterns.Get(i));
            var escape = args.Length > 2 ? Utf8Text.Decode(escapes.Get(i)) : null;
            if (_compiled is null || pattern != _lastPattern || escape != _lastEscape)
            {
                _compiled = LikePattern.Compile(pattern, escape);
                _lastPattern = pattern;
                _lastEscape = escape;
            }
            result[i] = _compiled.Matches(text.Get(i)) != negated;
        }
        return new PrimitiveVector<bool>(Type, result, n, nulls);
    }
}
