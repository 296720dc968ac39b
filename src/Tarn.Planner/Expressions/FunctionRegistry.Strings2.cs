using Tarn.Types;

namespace Tarn.Planner.Expressions;

/// <summary>Flink's further string functions: regular expressions, padding, splitting, encodings, URLs.</summary>
public static partial class FunctionRegistry
{
    private static void RegisterMoreStringFunctions()
    {
        var str = DataType.String;
        Add("REGEXP_EXTRACT", "REGEXP_EXTRACT(string, regex [, group])", a => a switch
        {
            [var s, var r] when Str(s.Type) && Str(r.Type) => Call("REGEXP_EXTRACT", a, [StrType(s.Type), StrType(r.Type)], str, alwaysNullable: true),
            [var s, var r, var g] when Str(s.Type) && Str(r.Type) && Int(g.Type) =>
                Call("REGEXP_EXTRACT", a, [StrType(s.Type), StrType(r.Type), DataType.BigInt], str, alwaysNullable: true),
            _ => null,
        });
        Add("REGEXP_REPLACE", "REGEXP_REPLACE(string, regex, replacement)", a =>
            a is [var s, var r, var t] && Str(s.Type) && Str(r.Type) && Str(t.Type)
                ? Call("REGEXP_REPLACE", a, [StrType(s.Type), StrType(r.Type), StrType(t.Type)], str) : null);
        Add("REGEXP", "REGEXP(string, regex)", a =>
            a is [var s, var r] && Str(s.Type) && Str(r.Type) ? Call("REGEXP", a, [StrType(s.Type), StrType(r.Type)], DataType.Boolean) : null);
        foreach (var name in new[] { "REGEXP_COUNT", "REGEXP_INSTR" })
        {
            Add(name, $"{name}(string, regex)", a =>
                a is [var s, var r] && Str(s.Type) && Str(r.Type) ? Call(name, a, [StrType(s.Type), StrType(r.Type)], s_intType) : null);
        }
        Add("SPLIT_INDEX", "SPLIT_INDEX(string, separator, index)", a =>
            a is [var s, var p, var n] && Str(s.Type) && Str(p.Type) && Int(n.Type)
                ? Call("SPLIT_INDEX", a, [StrType(s.Type), StrType(p.Type), DataType.BigInt], str, alwaysNullable: true) : null);
        foreach (var name in new[] { "LPAD", "RPAD" })
        {
            Add(name, $"{name}(string, length, pad)", a =>
                a is [var s, var n, var p] && Str(s.Type) && Int(n.Type) && Str(p.Type)
                    ? Call(name, a, [StrType(s.Type), DataType.BigInt, StrType(p.Type)], str, alwaysNullable: true) : null);
        }
        foreach (var name in new[] { "REPEAT", "LEFT", "RIGHT" })
        {
            Add(name, $"{name}(string, integer)", a =>
                a is [var s, var n] && Str(s.Type) && Int(n.Type) ? Call(name, a, [StrType(s.Type), DataType.BigInt], str) : null);
        }
        foreach (var name in new[] { "REVERSE", "INITCAP", "TO_BASE64", "FROM_BASE64", "URL_ENCODE", "URL_DECODE" })
        {
            Add(name, $"{name}(string)", a =>
                a is [var s] && Str(s.Type) ? Call(name, a, [StrType(s.Type)], str, alwaysNullable: name == "URL_DECODE") : null);
        }
        Add("LOCATE", "LOCATE(substring, string [, from])", a => a switch
        {
            [var sub, var s] when Str(sub.Type) && Str(s.Type) => Call("LOCATE", a, [StrType(sub.Type), StrType(s.Type)], s_intType),
            [var sub, var s, var p] when Str(sub.Type) && Str(s.Type) && Int(p.Type) =>
                Call("LOCATE", a, [StrType(sub.Type), StrType(s.Type), DataType.BigInt], s_intType),
            _ => null,
        });
        Add("INSTR", "INSTR(string, substring)", a =>
            a is [var s, var sub] && Str(s.Type) && Str(sub.Type) ? Call("INSTR", a, [StrType(s.Type), StrType(sub.Type)], s_intType) : null);
        Add("ASCII", "ASCII(string)", a => a is [var s] && Str(s.Type) ? Call("ASCII", a, [StrType(s.Type)], s_intType) : null);
        Add("CHR", "CHR(integer)", a => a is [var n] && Int(n.Type) ? Call("CHR", a, [DataType.BigInt], str) : null);
        Add("OVERLAY", "OVERLAY(string PLACING replacement FROM position [FOR length])", a => a switch
        {
            [var s, var r, var p] when Str(s.Type) && Str(r.Type) && Int(p.Type) =>
                Call("OVERLAY", a, [StrType(s.Type), StrType(r.Type), DataType.BigInt], str),
            [var s, var r, var p, var n] when Str(s.Type) && Str(r.Type) && Int(p.Type) && Int(n.Type) =>
                Call("OVERLAY", a, [StrType(s.Type), StrType(r.Type), DataType.BigInt, DataType.BigInt], str),
            _ => null,
        });
        Add("TRANSLATE", "TRANSLATE(string, from, to)", a =>
            a is [var s, var f, var t] && Str(s.Type) && Str(f.Type) && Str(t.Type)
                ? Call("TRANSLATE", a, [StrType(s.Type), StrType(f.Type), StrType(t.Type)], str) : null);
        Add("ELT", "ELT(index, expression, ...)", a =>
        {
            if (a.Count < 2 || !Int(a[0].Type)) return null;
            for (var k = 1; k < a.Count; k++) if (!Str(a[k].Type)) return null;
            return Call("ELT", a, [DataType.BigInt, .. a.Skip(1).Select(x => StrType(x.Type))], str, alwaysNullable: true);
        });
        Add("UUID", "UUID()", a => a.Count == 0 ? Call("UUID", a, [], DataType.Char(36).WithNullable(false)) : null);
        Add("ENCODE", "ENCODE(string, charset)", a =>
            a is [var s, var c] && Str(s.Type) && Str(c.Type) ? Call("ENCODE", a, [StrType(s.Type), StrType(c.Type)], DataType.Bytes) : null);
        Add("DECODE", "DECODE(binary, charset)", a =>
            a is [var b, var c] && (b.Type.IsBinary || IsNullType(b.Type)) && Str(c.Type)
                ? Call("DECODE", a, [IsNullType(b.Type) ? DataType.Bytes : b.Type, StrType(c.Type)], str) : null);
        Add("BIN", "BIN(integer)", a => a is [var n] && Int(n.Type) ? Call("BIN", a, [DataType.BigInt], str) : null);
        Add("HEX", "HEX(integer | string)", a => a switch
        {
            [var n] when n.Type.IsIntegral => Call("HEX", a, [DataType.BigInt], str),
            [var s] when Str(s.Type) || s.Type.IsBinary => Call("HEX", a, [IsNullType(s.Type) ? str : s.Type], str),
            _ => null,
        });
        Add("PARSE_URL", "PARSE_URL(url, part [, key])", a => a switch
        {
            [var u, var p] when Str(u.Type) && Str(p.Type) => Call("PARSE_URL", a, [StrType(u.Type), StrType(p.Type)], str, alwaysNullable: true),
            [var u, var p, var k] when Str(u.Type) && Str(p.Type) && Str(k.Type) =>
                Call("PARSE_URL", a, [StrType(u.Type), StrType(p.Type), StrType(k.Type)], str, alwaysNullable: true),
            _ => null,
        });
    }
}
