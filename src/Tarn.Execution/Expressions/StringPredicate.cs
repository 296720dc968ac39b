using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>A test of one string value against constants: 1 = TRUE, 0 = FALSE, -1 = NULL.</summary>
public interface IStringTest
{
    int Test(ReadOnlySpan<byte> value);
}

/// <summary>
/// A predicate over one string column with constant arguments (comparison with a constant, LIKE 'pattern',
/// IN ('a','b')). On a <see cref="DictionaryVector"/> the test runs once per dictionary entry (cached while the
/// same dictionary keeps coming) and rows are then decided by their codes.
/// </summary>
public sealed class StringPredicate<TTest>(VectorExpression input, TTest test, DataType type, bool negate = false) : VectorExpression(type)
    where TTest : struct, IStringTest
{
    private BinaryVector? _cachedDictionary;
    private sbyte[] _cachedOutcome = [];

    private sbyte[] DictionaryOutcome(BinaryVector dictionary)
    {
        if (ReferenceEquals(dictionary, _cachedDictionary)) return _cachedOutcome;
        var t = test;
        var outcome = new sbyte[dictionary.Count];
        for (var i = 0; i < outcome.Length; i++)
        {
            var r = t.Test(dictionary.GetBytes(i));
            outcome[i] = (sbyte)(negate && r >= 0 ? 1 - r : r);
        }
        _cachedDictionary = dictionary;
        _cachedOutcome = outcome;
        return outcome;
    }

    private int TestRow(ref TTest t, ReadOnlySpan<byte> value)
    {
        var r = t.Test(value);
        return negate && r >= 0 ? 1 - r : r;
    }

    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var v = input.Evaluate(batch);
        var result = new bool[Math.Max(n, 1)];
        var nulls = NullMask.Copy(v.Nulls, n);
        if (v is DictionaryVector d && d.Dictionary.Count <= Math.Max(n, 64))
        {
            var outcome = DictionaryOutcome(d.Dictionary);
            var codes = d.Codes;
            for (var i = 0; i < n; i++)
            {
                if (nulls is not null && nulls[i] != 0) continue;
                var o = outcome[codes[i]];
                result[i] = o == 1;
                if (o < 0) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
            }
        }
        else
        {
            var view = new StringView(v);
            var t = test;
            for (var i = 0; i < n; i++)
            {
                if (nulls is not null && nulls[i] != 0) continue;
                var o = TestRow(ref t, view.Get(i));
                result[i] = o == 1;
                if (o < 0) (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
            }
        }
        return new PrimitiveVector<bool>(Type, result, n, nulls);
    }

    public override int Select(ColumnBatch batch, ReadOnlySpan<int> candidates, Span<int> result)
    {
        if (candidates.Length == 0) return 0;
        var v = input.Evaluate(batch);
        var nulls = v.Nulls;
        var n = 0;
        if (v is DictionaryVector d && d.Dictionary.Count <= Math.Max(batch.RowCount, 64))
        {
            var outcome = DictionaryOutcome(d.Dictionary);
            var codes = d.Codes;
            if (nulls is null)
            {
                foreach (var i in candidates)
                {
                    result[n] = i;
                    n += outcome[codes[i]] == 1 ? 1 : 0;
                }
            }
            else
            {
                foreach (var i in candidates)
                {
                    result[n] = i;
                    n += nulls[i] == 0 && outcome[codes[i]] == 1 ? 1 : 0;
                }
            }
            return n;
        }
        var view = new StringView(v);
        var t = test;
        foreach (var i in candidates)
        {
            if (nulls is not null && nulls[i] != 0) continue;
            if (TestRow(ref t, view.Get(i)) == 1) result[n++] = i;
        }
        return n;
    }
}

/// <summary>Comparison with a constant string.</summary>
public readonly struct CompareWithConstant<TKind>(byte[] constant) : IStringTest where TKind : struct, IComparisonKind
{
    public int Test(ReadOnlySpan<byte> value) => TKind.TestOrder(value.SequenceCompareTo(constant)) ? 1 : 0;
}

/// <summary>IN (constant strings): TRUE on a match, else NULL when the list holds a NULL, else FALSE.</summary>
public readonly struct InStringSet(ByteStringSet set, bool listHasNull) : IStringTest
{
    public int Test(ReadOnlySpan<byte> value) => set.Contains(value) ? 1 : listHasNull ? -1 : 0;
}

/// <summary>LIKE with a constant pattern.</summary>
public readonly struct LikeTest(LikePattern pattern) : IStringTest
{
    public int Test(ReadOnlySpan<byte> value) => pattern.Matches(value) ? 1 : 0;
}

/// <summary>A set of byte strings looked up by span without allocating.</summary>
public sealed class ByteStringSet
{
    private readonly Dictionary<int, List<byte[]>> _buckets = [];

    public int Count { get; private set; }

    public bool Add(ReadOnlySpan<byte> value)
    {
        var h = Hash(value);
        if (!_buckets.TryGetValue(h, out var list)) _buckets[h] = list = [];
        foreach (var e in list)
            if (e.AsSpan().SequenceEqual(value)) return false;
        list.Add(value.ToArray());
        Count++;
        return true;
    }

    public bool Contains(ReadOnlySpan<byte> value)
    {
        if (!_buckets.TryGetValue(Hash(value), out var list)) return false;
        foreach (var e in list)
            if (e.AsSpan().SequenceEqual(value)) return true;
        return false;
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        var h = new HashCode();
        h.AddBytes(value);
        return h.ToHashCode();
    }
}
