using System.Text;
using Tarn.Execution.Vectors;
using Tarn.Planner.Expressions;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Execution.Expressions;

/// <summary>
/// Casts involving ARRAY: array → array casts every element with the ordinary cast kernel (all elements of a batch at
/// once); array → string prints <c>[a, b, NULL]</c> (DuckDB's and Flink's form); string → array reads that form back.
/// </summary>
internal static class ArrayCasts
{
    public static VectorExpression Create(VectorExpression input, DataType to, CastMode mode, ExecutionContext context)
    {
        var from = input.Type;
        var tryMode = mode == CastMode.Try;
        if (from.IsArray && to.IsArray)
        {
            if (SameEncoding(from.Element!, to.Element!)) return new RetypeExpression(input, to);
            var elementCast = CastCompiler.Create(new ColumnExpression(0, from.Element!), to.Element!, mode, context);
            return new ArrayElementCast(input, to, elementCast, tryMode);
        }
        if (from.IsArray && to.IsString)
        {
            var elementText = CastCompiler.Create(new ColumnExpression(0, from.Element!), DataType.String, CastMode.Explicit, context);
            var text = new ArrayToText(input, elementText);
            return to.Length == DataType.MaxLength && to.Kind == TypeKind.Varchar
                ? text
                : new ResizeCast(text, to, rejectTooLong: mode == CastMode.Assignment, tryMode);
        }
        if (from.IsString && to.IsArray)
        {
            var elementParse = CastCompiler.Create(new ColumnExpression(0, DataType.String), to.Element!, tryMode ? CastMode.Try : CastMode.Explicit, context);
            return new TextToArray(input, to, elementParse, tryMode);
        }
        throw new TarnException(SqlStates.FeatureNotSupported, $"cast from {from.ToSql()} to {to.ToSql()} is not supported");
    }

    /// <summary>Whether values of element type <paramref name="a"/> are already valid, equal encodings as <paramref name="b"/>.</summary>
    private static bool SameEncoding(DataType a, DataType b)
    {
        if (a.Kind == TypeKind.Null || a.WithNullable(true).Equals(b.WithNullable(true))) return true;
        if (a.IsArray && b.IsArray) return SameEncoding(a.Element!, b.Element!);
        if (a.IsString && b.Kind == TypeKind.Varchar) return b.Length >= a.Length && a.Kind == TypeKind.Varchar;
        if (a.IsBinary && b.Kind == TypeKind.Varbinary) return b.Length >= a.Length && a.Kind == TypeKind.Varbinary;
        return a.Kind == b.Kind && a.Kind is TypeKind.Boolean or TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt
            or TypeKind.Float or TypeKind.Double or TypeKind.Date;
    }
}

/// <summary>Casts every element of each array (NULL arrays stay NULL, NULL elements stay NULL).</summary>
internal sealed class ArrayElementCast(VectorExpression input, DataType type, VectorExpression elementCast, bool tryMode) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var flat = ArrayElements.Decode(input.Evaluate(batch), n);
        var cast = elementCast.Evaluate(new ColumnBatch([flat.Values], flat.Values.Count));
        return flat.Encode(cast, Type, n, failedToNull: tryMode);
    }
}

/// <summary>ARRAY → STRING: <c>[1, 2, NULL]</c>; elements print as CAST(element AS STRING) does.</summary>
internal sealed class ArrayToText(VectorExpression input, VectorExpression elementText) : VectorExpression(DataType.String.WithNullable(input.Type.Nullable))
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var flat = ArrayElements.Decode(input.Evaluate(batch), n);
        var texts = elementText.Evaluate(new ColumnBatch([flat.Values], flat.Values.Count));
        var view = flat.Values.Count == 0 ? default : new StringView(texts);
        var result = new BinaryVector(Type, Math.Max(n, 1), n * 16);
        var buffer = new List<byte>(64);
        for (var r = 0; r < n; r++)
        {
            if (flat.RowNulls is { } rn && rn[r] != 0) { result.AppendNull(); continue; }
            buffer.Clear();
            buffer.Add((byte)'[');
            for (var k = flat.Starts[r]; k < flat.Starts[r + 1]; k++)
            {
                if (k > flat.Starts[r]) { buffer.Add((byte)','); buffer.Add((byte)' '); }
                if (view.IsNull(k)) buffer.AddRange("NULL"u8);
                else buffer.AddRange(view.Get(k));
            }
            buffer.Add((byte)']');
            result.Append(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer));
        }
        return result;
    }
}

/// <summary>
/// STRING → ARRAY: <c>[e, e, ...]</c> with elements separated by commas outside brackets and quotes; an element may be
/// quoted ('...' or "..."), NULL (unquoted) is a NULL element; each element is cast from its text.
/// </summary>
internal sealed class TextToArray(VectorExpression input, DataType type, VectorExpression elementParse, bool tryMode) : VectorExpression(type)
{
    public override ColumnVector Evaluate(ColumnBatch batch)
    {
        var n = batch.RowCount;
        var source = input.Evaluate(batch);
        var view = new StringView(source);
        var texts = new BinaryVector(DataType.String, Math.Max(n * 2, 1));
        var starts = new int[n + 1];
        var rowNulls = new byte[Math.Max(n, 1)];
        var items = new List<string?>();
        for (var r = 0; r < n; r++)
        {
            if (view.IsNull(r)) rowNulls[r] = 1;
            else if (Split(Encoding.UTF8.GetString(view.Get(r)), items))
            {
                foreach (var item in items)
                {
                    if (item is null) texts.AppendNull();
                    else texts.Append(item);
                }
            }
            else if (tryMode) rowNulls[r] = 1;
            else throw new TarnException(SqlStates.InvalidTextRepresentation, $"invalid {Type.WithNullable(true).ToSql()} value '{Encoding.UTF8.GetString(view.Get(r))}'");
            starts[r + 1] = texts.Count;
        }
        var elements = elementParse.Evaluate(new ColumnBatch([texts], texts.Count));
        var result = new BinaryVector(Type, Math.Max(n, 1), Math.Max(elements.Count * 4, 16));
        var writer = new ArrayValueWriter();
        for (var r = 0; r < n; r++)
        {
            if (rowNulls[r] != 0) { result.AppendNull(); continue; }
            if (tryMode && AnyFailed(texts, elements, starts[r], starts[r + 1])) { result.AppendNull(); continue; }
            writer.Reset();
            for (var k = starts[r]; k < starts[r + 1]; k++) writer.AppendFrom(elements, k);
            result.Append(writer.Finish());
        }
        return result;
    }

    private static bool AnyFailed(ColumnVector texts, ColumnVector elements, int from, int to)
    {
        for (var k = from; k < to; k++)
            if (elements.IsNull(k) && !texts.IsNull(k)) return true;
        return false;
    }

    /// <summary>The element texts of "[a, b]" (null for NULL); false when the text is not a bracketed list.</summary>
    internal static bool Split(string text, List<string?> items)
    {
        items.Clear();
        var s = text.Trim();
        if (s.Length < 2 || s[0] != '[' || s[^1] != ']') return false;
        var body = s[1..^1];
        if (body.Trim().Length == 0) return true;
        var depth = 0;
        char quote = '\0';
        var start = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            var c = i < body.Length ? body[i] : ',';
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                continue;
            }
            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case '[': depth++; break;
                case ']': if (--depth < 0) return false; break;
                case ',' when depth == 0:
                    var item = body[start..i].Trim();
                    if (item.Length == 0) return false;
                    if (item.Equals("NULL", StringComparison.OrdinalIgnoreCase)) items.Add(null);
                    else if (item.Length >= 2 && item[0] is '\'' or '"' && item[^1] == item[0]) items.Add(item[1..^1]);
                    else items.Add(item);
                    start = i + 1;
                    break;
            }
        }
        return depth == 0 && quote == '\0';
    }
}
