using System.Buffers;
using System.Text;
using Tarn.Execution.Text;
using Tarn.Execution.Vectors;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>UPPER / LOWER (invariant culture; ASCII without decoding).</summary>
public sealed class CaseFunction(VectorExpression[] args, DataType type, bool upper) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        byte[] buffer = new byte[256];
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var s = view.Get(i);
            if (buffer.Length < s.Length) buffer = new byte[s.Length * 2];
            if (Ascii.IsValid(s))
            {
                var status = upper ? Ascii.ToUpper(s, buffer, out var written) : Ascii.ToLower(s, buffer, out written);
                if (status != OperationStatus.Done) throw new InvalidOperationException("ASCII case conversion failed");
                result.Append(buffer.AsSpan(0, written));
            }
            else
            {
                var text = Utf8Text.Decode(s);
                result.Append(upper ? text.ToUpperInvariant() : text.ToLowerInvariant());
            }
        }
        result.SetNulls(nulls);
        return result;
    }
}

public sealed class CharLengthFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var nulls = StrictNulls(args, n);
        var result = new int[Math.Max(n, 1)];
        for (var i = 0; i < n; i++)
            if (!IsNull(nulls, i)) result[i] = Utf8Text.CharCount(view.Get(i));
        return new PrimitiveVector<int>(Type, result, n, nulls);
    }
}

/// <summary>TRIM / LTRIM / RTRIM: removes the given characters (default: space) from the chosen ends.</summary>
public sealed class TrimFunction(VectorExpression[] args, DataType type, bool leading, bool trailing) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var chars = args.Length > 1 ? new StringView(args[1]) : default;
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        var set = new HashSet<Rune>();
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            set.Clear();
            if (args.Length > 1) foreach (var r in Utf8Text.Decode(chars.Get(i)).EnumerateRunes()) set.Add(r);
            else set.Add(new Rune(' '));
            result.Append(Trim(view.Get(i), set));
        }
        result.SetNulls(nulls);
        return result;
    }

    private ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s, HashSet<Rune> set)
    {
        var start = 0;
        var end = s.Length;
        if (leading)
        {
            while (start < end && Rune.DecodeFromUtf8(s[start..end], out var r, out var len) == OperationStatus.Done && set.Contains(r)) start += len;
        }
        if (trailing)
        {
            while (end > start && Rune.DecodeLastFromUtf8(s[start..end], out var r, out var len) == OperationStatus.Done && set.Contains(r)) end -= len;
        }
        return s[start..end];
    }
}

/// <summary>
/// SUBSTRING(s, pos [, len]) as Flink: 1-based; pos 0 acts as 1; a negative pos counts from the end (out of range
/// gives ''); a negative length gives NULL.
/// </summary>
public sealed class SubstringFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var view = new StringView(args[0]);
        var pos = ArgumentReaders.Longs(args[1]);
        var len = args.Length > 2 ? ArgumentReaders.Longs(args[2]) : null;
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var length = len is null ? long.MaxValue : len[i];
            if (length < 0)
            {
                (nulls ??= new byte[Math.Max(n, 1)])[i] = 1;
                result.Append(ReadOnlySpan<byte>.Empty);
                continue;
            }
            result.Append(Substring(view.Get(i), pos[i], length));
        }
        result.SetNulls(nulls);
        return result;
    }

    public static ReadOnlySpan<byte> Substring(ReadOnlySpan<byte> s, long pos, long length)
    {
        var chars = Utf8Text.CharCount(s);
        long start;
        if (pos > 0)
        {
            start = pos - 1;
            if (start >= chars) return [];
        }
        else if (pos < 0)
        {
            start = chars + pos;
            if (start < 0) return [];
        }
        else start = 0;
        var end = chars - start < length ? chars : start + length;
        var a = Utf8Text.ByteOffsetOfChar(s, start);
        var b = Utf8Text.ByteOffsetOfChar(s, end);
        return s[a..b];
    }
}

/// <summary>CONCAT(a, b, ...): NULL if any argument is NULL (Flink).</summary>
public sealed class ConcatFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var views = args.Select(a => new StringView(a)).ToArray();
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            buffer.ResetWrittenCount();
            foreach (var v in views) buffer.Write(v.Get(i));
            result.Append(buffer.WrittenSpan);
        }
        result.SetNulls(nulls);
        return result;
    }
}

/// <summary>CONCAT_WS(separator, a, ...): NULL arguments are skipped; NULL only when the separator is NULL.</summary>
public sealed class ConcatWsFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var views = args.Select(a => new StringView(a)).ToArray();
        var nulls = NullMask.Copy(args[0].Nulls, n);
        var result = NewText(Type, n);
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            buffer.ResetWrittenCount();
            var first = true;
            for (var k = 1; k < views.Length; k++)
            {
                if (views[k].IsNull(i)) continue;
                if (!first) buffer.Write(views[0].Get(i));
                buffer.Write(views[k].Get(i));
                first = false;
            }
            result.Append(buffer.WrittenSpan);
        }
        result.SetNulls(nulls);
        return result;
    }
}

/// <summary>REPLACE(s, search, replacement): every occurrence; an empty search leaves s unchanged.</summary>
public sealed class ReplaceFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: true)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var s = new StringView(args[0]);
        var search = new StringView(args[1]);
        var replacement = new StringView(args[2]);
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var text = s.Get(i);
            var find = search.Get(i);
            if (find.IsEmpty) { result.Append(text); continue; }
            var with = replacement.Get(i);
            buffer.ResetWrittenCount();
            while (true)
            {
                var at = text.IndexOf(find);
                if (at < 0) break;
                buffer.Write(text[..at]);
                buffer.Write(with);
                text = text[(at + find.Length)..];
            }
            buffer.Write(text);
            result.Append(buffer.WrittenSpan);
        }
        result.SetNulls(nulls);
        return result;
    }
}

/// <summary>POSITION(sub IN s): 1-based character position of the first occurrence, 0 when absent, 1 for ''.</summary>
public sealed class PositionFunction(VectorExpression[] args, DataType type) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var sub = new StringView(args[0]);
        var s = new StringView(args[1]);
        var nulls = StrictNulls(args, n);
        var result = new int[Math.Max(n, 1)];
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) continue;
            var text = s.Get(i);
            var at = text.IndexOf(sub.Get(i));
            result[i] = at < 0 ? 0 : Utf8Text.CharCount(text[..at]) + 1;
        }
        return new PrimitiveVector<int>(Type, result, n, nulls);
    }
}

/// <summary>GREATEST / LEAST over strings: NULL if any argument is NULL (Flink).</summary>
public sealed class StringExtremeFunction(VectorExpression[] args, DataType type, bool greatest) : FunctionKernel(args, type, liftable: false)
{
    protected override ColumnVector Compute(ColumnVector[] args, int n)
    {
        var views = args.Select(a => new StringView(a)).ToArray();
        var nulls = StrictNulls(args, n);
        var result = NewText(Type, n);
        for (var i = 0; i < n; i++)
        {
            if (IsNull(nulls, i)) { result.Append(ReadOnlySpan<byte>.Empty); continue; }
            var best = views[0].Get(i);
            for (var k = 1; k < views.Length; k++)
            {
                var c = views[k].Get(i);
                var order = c.SequenceCompareTo(best);
                if (greatest ? order > 0 : order < 0) best = c;
            }
            result.Append(best);
        }
        result.SetNulls(nulls);
        return result;
    }
}
