namespace Tarn.Sql.Lexing;

/// <summary>The kinds of tokens the SQL tokenizer produces. Comments and whitespace produce none.</summary>
internal enum SqlToken
{
    /// <summary>Not a token: the kind of default(Token), e.g. a peek past the end of input.</summary>
    None,
    /// <summary>An unquoted word that is not reserved: a name, or a keyword that only has meaning in context.</summary>
    Identifier,
    /// <summary>A reserved word (see <see cref="ReservedWords"/>): never a name unless quoted.</summary>
    Keyword,
    /// <summary>A name in backticks (Flink) or double quotes (PostgreSQL).</summary>
    QuotedIdentifier,
    String,
    /// <summary>X'0AFF'.</summary>
    BinaryString,
    Integer,
    Decimal,
    /// <summary>A number with an exponent, 1e3.</summary>
    Approximate,
    /// <summary>?, $1, :name or @name.</summary>
    Parameter,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Semicolon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    /// <summary>||</summary>
    Concat,
    Equal,
    /// <summary>&lt;&gt; or !=</summary>
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    /// <summary>:: (PostgreSQL-style cast)</summary>
    DoubleColon,
    /// <summary>=&gt; (named argument)</summary>
    Arrow,
    /// <summary>/*+ opening a hint.</summary>
    HintStart,
    /// <summary>*/ closing a hint.</summary>
    HintEnd,
}
