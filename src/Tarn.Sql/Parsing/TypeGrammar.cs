using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using Tarn.Types;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

/// <summary>
/// SQL type names to <see cref="DataType"/>: Flink's spellings plus LONG (= BIGINT). VARCHAR without a length
/// is unbounded like STRING (Flink would make it VARCHAR(1)); the friendlier reading is deliberate.
/// </summary>
internal static partial class TypeGrammar
{
    public const int MaxTimePrecision = 9;

    /// <summary>A type with an optional NOT NULL / NULL suffix (column definitions, CAST, ParseDataType).</summary>
    public static TokenListParserResult<SqlToken, DataType> Type(TokenList<SqlToken> input)
    {
        var type = BareType(input);
        if (!type.HasValue)
            return type;
        var rest = type.Remainder;
        var result = type.Value;
        var collate = Collate(rest); // DuckDB: VARCHAR COLLATE NOCASE [NOT NULL]
        if (!collate.HasValue)
            return Fail<string?, DataType>(collate);
        if (collate.Value is not null)
        {
            result = result.WithCollation(collate.Value);
            rest = collate.Remainder;
        }
        if (NextAreWords(rest, "NOT", "NULL"))
        {
            result = result.WithNullable(false);
            rest = Skip(rest, 2);
        }
        else if (NextIsWord(rest, "NULL"))
        {
            result = result.WithNullable(true);
            rest = Skip(rest);
        }
        if (result.Collation is null)
        {
            collate = Collate(rest); // ... NOT NULL COLLATE NOCASE
            if (!collate.HasValue)
                return Fail<string?, DataType>(collate);
            if (collate.Value is not null)
            {
                result = result.WithCollation(collate.Value);
                rest = collate.Remainder;
            }
        }
        return Ok(result, input, rest);
    }

    /// <summary>
    /// [COLLATE name]: the collation's name upper-cased (dotted names such as nocase.noaccent kept whole, a string
    /// literal accepted too), or null when there is no COLLATE. The binder decides which collations exist.
    /// </summary>
    public static TokenListParserResult<SqlToken, string?> Collate(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "COLLATE"))
            return Ok<string?>(null, input, input);
        var rest = Skip(input);
        if (Peek(rest, out var s) && s.Kind == SqlToken.String)
            return Ok<string?>(Literals.UnquoteString(s).ToUpperInvariant(), input, Skip(rest));
        var name = DottedName(rest);
        if (!name.HasValue)
            return Fail<QualifiedName, string?>(name);
        return Ok<string?>(string.Join('.', name.Value.Parts.Select(p => p.Value.ToUpperInvariant())), input, name.Remainder);
    }

    /// <summary>
    /// A type without a nullability suffix (after '::', where NOT would start a predicate), with any number of array
    /// suffixes: Flink's <c>T ARRAY</c> and DuckDB's / PostgreSQL's <c>T[]</c>.
    /// </summary>
    public static TokenListParserResult<SqlToken, DataType> BareType(TokenList<SqlToken> input)
    {
        var type = ElementType(input);
        if (!type.HasValue) return type;
        var result = type.Value;
        var rest = type.Remainder;
        while (true)
        {
            if (NextIsWord(rest, "ARRAY") && !NextIs(Skip(rest), SqlToken.LeftBracket) && !NextIs(Skip(rest), SqlToken.Less))
                rest = Skip(rest);
            else if (NextIs(rest, SqlToken.LeftBracket) && NextIs(Skip(rest), SqlToken.RightBracket))
                rest = Skip(rest, 2);
            else
                break;
            result = DataType.Array(result);
        }
        return Ok(result, input, rest);
    }

    /// <summary>Flink's <c>ARRAY&lt;T&gt;</c> (the element may say NOT NULL; elements are nullable all the same).</summary>
    private static TokenListParserResult<SqlToken, DataType> ArrayType(TokenList<SqlToken> input, TokenList<SqlToken> rest, Token<SqlToken> name)
    {
        if (!NextIs(rest, SqlToken.Less))
            throw SyntaxErrors.At(name, "ARRAY needs its element type: ARRAY<type>");
        var element = Type(Skip(rest));
        if (!element.HasValue) return element;
        if (element.Value.IsRow)
            throw new TarnException(SqlStates.FeatureNotSupported, $"ARRAY of ROW is not supported at {Pos(name)}", Pos(name));
        var close = Symbol(SqlToken.Greater)(element.Remainder);
        if (!close.HasValue) return Fail<Token<SqlToken>, DataType>(close);
        return Ok(DataType.Array(element.Value), input, close.Remainder);
    }

    private static TokenListParserResult<SqlToken, DataType> ElementType(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var name) || name.Kind != SqlToken.Identifier)
            return Expected<DataType>(input, "data type");
        var rest = Skip(input);
        switch (name.ToStringValue().ToUpperInvariant())
        {
            case "BOOLEAN":
            case "BOOL": // PostgreSQL and DuckDB aliases: BOOL, INT1/2/4/8, FLOAT4/8
                return Ok(DataType.Boolean, input, rest);
            case "TINYINT":
            case "INT1":
                return Ok(DataType.TinyInt, input, rest);
            case "SMALLINT":
            case "INT2":
                return Ok(DataType.SmallInt, input, rest);
            case "INT":
            case "INTEGER":
            case "INT4": // PostgreSQL / DuckDB
                return Ok(DataType.Int, input, rest);
            case "BIGINT":
            case "LONG":
            case "INT8": // PostgreSQL / DuckDB
            case "INT64":
                return Ok(DataType.BigInt, input, rest);
            case "FLOAT":
            case "REAL":
            case "FLOAT4":
                return Ok(DataType.Float, input, rest);
            case "DOUBLE":
            case "FLOAT8":
                return Ok(DataType.Double, input, NextIsWord(rest, "PRECISION") ? Skip(rest) : rest);
            case "DECIMAL":
            case "DEC":
            case "NUMERIC":
                return Decimal(input, rest);
            case "CHAR":
            case "CHARACTER":
                return Length(input, rest, name, 1, DataType.Char);
            case "VARCHAR":
                return Length(input, rest, name, DataType.MaxLength, DataType.Varchar);
            case "STRING":
            case "TEXT": // PostgreSQL, SQLite and DuckDB spelling of an unbounded string
                return Ok(DataType.String, input, rest);
            case "BINARY":
                return Length(input, rest, name, 1, n => new DataType(TypeKind.Binary, Length: n));
            case "VARBINARY":
                return Length(input, rest, name, DataType.MaxLength, n => new DataType(TypeKind.Varbinary, Length: n));
            case "BYTES":
                return Ok(DataType.Bytes, input, rest);
            case "DATE":
                return Ok(DataType.Date, input, rest);
            case "TIME":
                return Time(input, rest);
            case "TIMESTAMP":
                return Timestamp(input, rest);
            case "TIMESTAMP_LTZ":
                return Precision(input, rest, name, 6, DataType.TimestampLtz);
            case "ARRAY":
                return ArrayType(input, rest, name);
            case "ROW":
                return RowType(input, rest, name);
            case "MAP":
            case "MULTISET":
            case "RAW":
            case "INTERVAL":
            case "VARIANT":
            case "STRUCTURED":
                throw SyntaxErrors.At(name, $"data type {name.ToStringValue().ToUpperInvariant()} is not supported");
            default:
                throw SyntaxErrors.At(name, $"unknown data type '{name.ToStringValue()}'");
        }
    }

    private static TokenListParserResult<SqlToken, DataType> Decimal(TokenList<SqlToken> input, TokenList<SqlToken> rest)
    {
        if (!NextIs(rest, SqlToken.LeftParen))
            return Ok(DataType.Decimal(10, 0), input, rest);
        var precisionToken = Skip(rest);
        var precision = SmallInteger(precisionToken);
        if (!precision.HasValue)
            return Fail<int, DataType>(precision);
        var scale = 0;
        var after = precision.Remainder;
        TokenList<SqlToken> scaleToken = after;
        if (NextIs(after, SqlToken.Comma))
        {
            scaleToken = Skip(after);
            var s = SmallInteger(scaleToken);
            if (!s.HasValue)
                return Fail<int, DataType>(s);
            scale = s.Value;
            after = s.Remainder;
        }
        var close = RightParen(after);
        if (!close.HasValue)
            return Fail<Token<SqlToken>, DataType>(close);
        if (precision.Value is < 1 or > DataType.MaxDecimalPrecision)
            throw SyntaxErrors.At(First(precisionToken), $"DECIMAL precision must be between 1 and {DataType.MaxDecimalPrecision}, not {precision.Value}");
        if (scale > precision.Value)
            throw SyntaxErrors.At(First(scaleToken), $"DECIMAL scale must be between 0 and the precision ({precision.Value}), not {scale}");
        return Ok(DataType.Decimal(precision.Value, scale), input, close.Remainder);
    }

    private static TokenListParserResult<SqlToken, DataType> Length(
        TokenList<SqlToken> input, TokenList<SqlToken> rest, Token<SqlToken> name, int defaultLength, Func<int, DataType> make)
    {
        var length = OptionalArgument(rest);
        if (!length.HasValue)
            return Fail<(int?, Token<SqlToken>), DataType>(length);
        var (value, token) = length.Value;
        if (value is < 1)
            throw SyntaxErrors.At(token, $"length of {name.ToStringValue().ToUpperInvariant()} must be at least 1");
        return Ok(make(value ?? defaultLength), input, length.Remainder);
    }

    private static TokenListParserResult<SqlToken, DataType> Precision(
        TokenList<SqlToken> input, TokenList<SqlToken> rest, Token<SqlToken> name, int defaultPrecision, Func<int, DataType> make)
    {
        var precision = OptionalArgument(rest);
        if (!precision.HasValue)
            return Fail<(int?, Token<SqlToken>), DataType>(precision);
        var (value, token) = precision.Value;
        if (value is > MaxTimePrecision)
            throw SyntaxErrors.At(token, $"precision of {name.ToStringValue().ToUpperInvariant()} must be between 0 and {MaxTimePrecision}, not {value}");
        return Ok(make(value ?? defaultPrecision), input, precision.Remainder);
    }

    private static TokenListParserResult<SqlToken, DataType> Time(TokenList<SqlToken> input, TokenList<SqlToken> rest)
    {
        var name = First(input);
        var time = Precision(input, rest, name, 0, p => DataType.Time(p));
        if (time.HasValue && NextAreWords(time.Remainder, "WITHOUT", "TIME"))
        {
            var zone = Keywords("WITHOUT", "TIME", "ZONE")(time.Remainder);
            return zone.HasValue ? Ok(time.Value, input, zone.Remainder) : Fail<Token<SqlToken>, DataType>(zone);
        }
        return time;
    }

    private static TokenListParserResult<SqlToken, DataType> Timestamp(TokenList<SqlToken> input, TokenList<SqlToken> rest)
    {
        var name = First(input);
        var timestamp = Precision(input, rest, name, 6, p => DataType.Timestamp(p));
        if (!timestamp.HasValue)
            return timestamp;
        var after = timestamp.Remainder;
        if (NextAreWords(after, "WITHOUT", "TIME"))
        {
            var zone = Keywords("WITHOUT", "TIME", "ZONE")(after);
            return zone.HasValue ? Ok(timestamp.Value, input, zone.Remainder) : Fail<Token<SqlToken>, DataType>(zone);
        }
        if (NextAreWords(after, "WITH", "LOCAL"))
        {
            var zone = Keywords("WITH", "LOCAL", "TIME", "ZONE")(after);
            return zone.HasValue
                ? Ok(DataType.TimestampLtz(timestamp.Value.Precision), input, zone.Remainder)
                : Fail<Token<SqlToken>, DataType>(zone);
        }
        if (NextAreWords(after, "WITH", "TIME"))
            throw SyntaxErrors.At(First(after), "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP WITH LOCAL TIME ZONE");
        return timestamp;
    }

    /// <summary>An optional "(n)": the value (null if absent) and the token to blame for a bad value.</summary>
    private static TokenListParserResult<SqlToken, (int?, Token<SqlToken>)> OptionalArgument(TokenList<SqlToken> rest)
    {
        if (!NextIs(rest, SqlToken.LeftParen))
            return Ok<(int?, Token<SqlToken>)>((null, default), rest, rest);
        var numberAt = Skip(rest);
        var number = SmallInteger(numberAt);
        if (!number.HasValue)
            return Fail<int, (int?, Token<SqlToken>)>(number);
        var close = RightParen(number.Remainder);
        if (!close.HasValue)
            return Fail<Token<SqlToken>, (int?, Token<SqlToken>)>(close);
        return Ok<(int?, Token<SqlToken>)>((number.Value, First(numberAt)), rest, close.Remainder);
    }

    private static Token<SqlToken> First(TokenList<SqlToken> input) => input.ConsumeToken().Value;
}
