using Superpower.Model;
using Tarn.Sql.Lexing;
using Tarn.Types;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class TypeGrammar
{
    /// <summary>
    /// Flink's <c>ROW&lt;name type [COMMENT '...'], ...&gt;</c> and <c>ROW(name type, ...)</c>. Field names may be
    /// quoted (<c>`dateTime`</c>) and must be unique (case-insensitively, as column names are).
    /// </summary>
    private static TokenListParserResult<SqlToken, DataType> RowType(TokenList<SqlToken> input, TokenList<SqlToken> rest, Token<SqlToken> name)
    {
        SqlToken close;
        if (NextIs(rest, SqlToken.Less)) close = SqlToken.Greater;
        else if (NextIs(rest, SqlToken.LeftParen)) close = SqlToken.RightParen;
        else throw SyntaxErrors.At(name, "ROW needs its fields: ROW<name type, ...>");
        rest = Skip(rest);
        var fields = new List<RowField>();
        while (true)
        {
            var fieldName = Name(rest);
            if (!fieldName.HasValue)
            {
                if (Peek(rest, out var bad)) throw SyntaxErrors.At(bad, $"unexpected '{bad.ToStringValue()}', expected a ROW field name");
                return Fail<Sql.Ast.Identifier, DataType>(fieldName);
            }
            var type = Type(fieldName.Remainder);
            if (!type.HasValue) return type;
            rest = type.Remainder;
            if (NextIsWord(rest, "COMMENT"))
            {
                var comment = StringValue(Skip(rest));
                if (!comment.HasValue) return Fail<string, DataType>(comment);
                rest = comment.Remainder;
            }
            foreach (var f in fields)
                if (string.Equals(f.Name, fieldName.Value.Value, StringComparison.OrdinalIgnoreCase))
                    throw new TarnException(SqlStates.DuplicateColumn, $"ROW field '{fieldName.Value.Value}' is defined twice at {fieldName.Value.Position}", fieldName.Value.Position);
            fields.Add(new RowField(fieldName.Value.Value, type.Value));
            if (NextIs(rest, SqlToken.Comma))
            {
                rest = Skip(rest);
                continue;
            }
            var end = Symbol(close)(rest);
            if (!end.HasValue) return Fail<Token<SqlToken>, DataType>(end);
            return Ok(DataType.Row(fields), input, end.Remainder);
        }
    }
}
