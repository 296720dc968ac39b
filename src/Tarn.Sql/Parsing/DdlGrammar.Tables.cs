using Superpower;
using Superpower.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Lexing;
using Tarn.Types;
using static Tarn.Sql.Parsing.Syntax;

namespace Tarn.Sql.Parsing;

internal static partial class DdlGrammar
{
    /// <summary>
    /// After CREATE [TEMPORARY] TABLE: [IF NOT EXISTS] name [(elements)] then COMMENT, PARTITIONED BY, WITH and
    /// LIKE in any order (each at most once), or AS query for CREATE TABLE AS SELECT.
    /// </summary>
    private static TokenListParserResult<SqlToken, Statement> CreateTable(TokenList<SqlToken> input, TokenList<SqlToken> rest, bool temporary, SourcePosition position)
    {
        var head = IfNotExistsName(rest);
        if (!head.HasValue)
            return Fail<(bool, QualifiedName), Statement>(head);
        var (ifNotExists, name) = head.Value;
        rest = head.Remainder;

        NodeList<TableElement> elements = [];
        if (NextIs(rest, SqlToken.LeftParen))
        {
            var list = Parenthesized(TableElementParser)(rest);
            if (!list.HasValue)
                return Fail<NodeList<TableElement>, Statement>(list);
            elements = list.Value;
            rest = list.Remainder;
        }

        string? comment = null;
        NodeList<Identifier>? partitionedBy = null;
        NodeList<Property>? options = null;
        TableLike? like = null;
        while (Peek(rest, out var t))
        {
            if (IsWord(t, "COMMENT"))
            {
                if (comment is not null)
                    throw SyntaxErrors.At(t, "duplicate COMMENT clause");
                var c = Comment(rest);
                if (!c.HasValue)
                    return Fail<string, Statement>(c);
                comment = c.Value;
                rest = c.Remainder;
            }
            else if (IsWord(t, "PARTITIONED"))
            {
                if (partitionedBy is not null)
                    throw SyntaxErrors.At(t, "duplicate PARTITIONED BY clause");
                var by = Keywords("PARTITIONED", "BY")(rest);
                if (!by.HasValue)
                    return Fail<Token<SqlToken>, Statement>(by);
                var columns = Parenthesized(Name)(by.Remainder);
                if (!columns.HasValue)
                    return Fail<NodeList<Identifier>, Statement>(columns);
                partitionedBy = columns.Value;
                rest = columns.Remainder;
            }
            else if (IsWord(t, "WITH"))
            {
                if (options is not null)
                    throw SyntaxErrors.At(t, "duplicate WITH clause");
                var o = OptionGrammar.With(rest);
                if (!o.HasValue)
                    return Fail<NodeList<Property>, Statement>(o);
                options = o.Value;
                rest = o.Remainder;
            }
            else if (IsWord(t, "LIKE"))
            {
                if (like is not null)
                    throw SyntaxErrors.At(t, "duplicate LIKE clause");
                var l = Like(rest);
                if (!l.HasValue)
                    return Fail<TableLike, Statement>(l);
                like = l.Value;
                rest = l.Remainder;
            }
            else
            {
                break;
            }
        }

        if (Peek(rest, out var asToken) && IsWord(asToken, "AS"))
        {
            if (!elements.IsEmpty || like is not null)
                throw SyntaxErrors.At(asToken, "CREATE TABLE ... AS query cannot also have a column list or LIKE");
            var query = QueryGrammar.Query(Skip(rest));
            if (!query.HasValue)
                return Fail<Query, Statement>(query);
            var ctas = new CreateTableAsStatement(name, temporary, ifNotExists, comment, partitionedBy ?? [], options ?? [], query.Value, position);
            return Ok<Statement>(ctas, input, query.Remainder);
        }
        if (elements.IsEmpty && like is null)
        {
            return rest == head.Remainder
                ? Expected<Statement>(rest, "'('", "LIKE", "AS", "WITH")
                : Expected<Statement>(rest, "LIKE", "AS");
        }
        var table = new CreateTableStatement(name, temporary, ifNotExists, elements, comment, partitionedBy ?? [], options ?? [], like, position);
        return Ok<Statement>(table, input, rest);
    }

    /// <summary>LIKE source [(INCLUDING | EXCLUDING | OVERWRITING feature ...)].</summary>
    private static TokenListParserResult<SqlToken, TableLike> Like(TokenList<SqlToken> input)
    {
        Peek(input, out var like);
        var source = DottedName(Skip(input));
        if (!source.HasValue)
            return Fail<QualifiedName, TableLike>(source);
        var rest = source.Remainder;
        var options = new List<LikeOption>();
        if (NextIs(rest, SqlToken.LeftParen))
        {
            rest = Skip(rest);
            while (true)
            {
                if (!Peek(rest, out var strategyToken))
                    return Expected<TableLike>(rest, "INCLUDING", "EXCLUDING", "OVERWRITING");
                LikeMergeStrategy strategy;
                if (IsWord(strategyToken, "INCLUDING"))
                    strategy = LikeMergeStrategy.Including;
                else if (IsWord(strategyToken, "EXCLUDING"))
                    strategy = LikeMergeStrategy.Excluding;
                else if (IsWord(strategyToken, "OVERWRITING"))
                    strategy = LikeMergeStrategy.Overwriting;
                else if (options.Count > 0 && strategyToken.Kind == SqlToken.RightParen)
                    break;
                else
                    return Expected<TableLike>(rest, options.Count > 0 ? ["INCLUDING", "EXCLUDING", "OVERWRITING", "')'"] : ["INCLUDING", "EXCLUDING", "OVERWRITING"]);
                rest = Skip(rest);
                Peek(rest, out var featureToken);
                LikeFeature? feature = IsWord(featureToken, "ALL") ? LikeFeature.All
                    : IsWord(featureToken, "CONSTRAINTS") ? LikeFeature.Constraints
                    : IsWord(featureToken, "GENERATED") ? LikeFeature.Generated
                    : IsWord(featureToken, "OPTIONS") ? LikeFeature.Options
                    : IsWord(featureToken, "PARTITIONS") ? LikeFeature.Partitions
                    : IsWord(featureToken, "WATERMARKS") ? LikeFeature.Watermarks
                    : IsWord(featureToken, "METADATA") ? LikeFeature.Metadata
                    : null;
                if (feature is null)
                    return Expected<TableLike>(rest, "ALL", "CONSTRAINTS", "GENERATED", "OPTIONS", "PARTITIONS", "WATERMARKS", "METADATA");
                options.Add(new LikeOption(strategy, feature.Value, Pos(strategyToken)));
                rest = Skip(rest);
                if (NextIs(rest, SqlToken.Comma))
                    rest = Skip(rest);
            }
            rest = Skip(rest);
        }
        return Ok(new TableLike(source.Value, NodeList.Wrap(options.ToArray()), Pos(like)), input, rest);
    }

    private static readonly TokenListParser<SqlToken, TableElement> TableElementParser = TableElement;

    /// <summary>A column (physical, computed or metadata), WATERMARK FOR ..., or [CONSTRAINT name] PRIMARY KEY (...).</summary>
    private static TokenListParserResult<SqlToken, TableElement> TableElement(TokenList<SqlToken> input)
    {
        if (!Peek(input, out var t))
            return Expected<TableElement>(input, "column definition");
        if (NextAreWords(input, "WATERMARK", "FOR"))
            return Watermark(input);
        if (NextAreWords(input, "PRIMARY", "KEY"))
            return PrimaryKey(input, null, Pos(t));
        if (IsWord(t, "UNIQUE") && PeekAt(input, 1, out var paren) && paren.Kind == SqlToken.LeftParen)
        {
            var uniqueColumns = Parenthesized(Name)(Skip(input));
            return uniqueColumns.HasValue
                ? Ok<TableElement>(new UniqueConstraint(null, uniqueColumns.Value, Pos(t)), input, uniqueColumns.Remainder)
                : Fail<NodeList<Identifier>, TableElement>(uniqueColumns);
        }
        if (IsWord(t, "CONSTRAINT") && PeekAt(input, 1, out var n) && n.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier
            && PeekAt(input, 2, out var p) && IsWord(p, "PRIMARY"))
        {
            var constraintName = Name(Skip(input));
            return PrimaryKey(constraintName.Remainder, constraintName.Value, Pos(t)) is var key && key.HasValue
                ? Ok(key.Value, input, key.Remainder)
                : key;
        }
        var name = Name(input);
        if (!name.HasValue)
            return Expected<TableElement>(input, "column definition", "WATERMARK", "PRIMARY KEY");
        return Column(input, name.Value, name.Remainder);
    }

    private static TokenListParserResult<SqlToken, TableElement> Column(TokenList<SqlToken> input, Identifier name, TokenList<SqlToken> rest)
    {
        if (NextIsWord(rest, "AS"))
        {
            var expression = ExpressionGrammar.Expression(Skip(rest));
            if (!expression.HasValue)
                return Fail<Expression, TableElement>(expression);
            var comment = OptionalComment(expression.Remainder);
            if (!comment.HasValue)
                return Fail<string?, TableElement>(comment);
            return Ok<TableElement>(new ComputedColumn(name, expression.Value, comment.Value, name.Position), input, comment.Remainder);
        }

        var type = TypeGrammar.Type(rest);
        if (!type.HasValue)
            return Fail<DataType, TableElement>(type);
        rest = type.Remainder;
        var columnType = type.Value;

        if (NextIsWord(rest, "METADATA"))
        {
            rest = Skip(rest);
            string? key = null;
            if (NextIsWord(rest, "FROM"))
            {
                var k = StringValue(Skip(rest));
                if (!k.HasValue)
                    return Fail<string, TableElement>(k);
                key = k.Value;
                rest = k.Remainder;
            }
            var isVirtual = NextIsWord(rest, "VIRTUAL");
            if (isVirtual)
                rest = Skip(rest);
            var comment = OptionalComment(rest);
            if (!comment.HasValue)
                return Fail<string?, TableElement>(comment);
            return Ok<TableElement>(new MetadataColumn(name, type.Value, key, isVirtual, comment.Value, name.Position), input, comment.Remainder);
        }

        Expression? @default = null;
        if (NextIsWord(rest, "DEFAULT"))
        {
            var value = ExpressionGrammar.Additive(Skip(rest));
            if (!value.HasValue)
                return Fail<Expression, TableElement>(value);
            @default = value.Value;
            rest = value.Remainder;
            if (NextAreWords(rest, "NOT", "NULL"))
            {
                columnType = columnType.WithNullable(false);
                rest = Skip(rest, 2);
            }
        }

        var primaryKey = false;
        if (NextIsWord(rest, "CONSTRAINT"))
        {
            var constraintName = Name(Skip(rest));
            if (!constraintName.HasValue)
                return Fail<Identifier, TableElement>(constraintName);
            rest = constraintName.Remainder;
            if (!NextAreWords(rest, "PRIMARY", "KEY"))
                return Expected<TableElement>(rest, "PRIMARY KEY");
        }
        if (NextIsWord(rest, "PRIMARY"))
        {
            var key = Keywords("PRIMARY", "KEY")(rest);
            if (!key.HasValue)
                return Fail<Token<SqlToken>, TableElement>(key);
            rest = key.Remainder;
            if (NextIsWord(rest, "NOT"))
            {
                var notEnforced = Keywords("NOT", "ENFORCED")(rest);
                if (!notEnforced.HasValue)
                    return Fail<Token<SqlToken>, TableElement>(notEnforced);
                rest = notEnforced.Remainder;
            }
            primaryKey = true;
        }
        var unique = NextIsWord(rest, "UNIQUE");
        if (unique)
            rest = Skip(rest);
        var columnComment = OptionalComment(rest);
        if (!columnComment.HasValue)
            return Fail<string?, TableElement>(columnComment);
        return Ok<TableElement>(new PhysicalColumn(name, columnType, primaryKey, columnComment.Value, name.Position, unique, @default), input, columnComment.Remainder);
    }

    private static TokenListParserResult<SqlToken, string?> OptionalComment(TokenList<SqlToken> input)
    {
        if (!NextIsWord(input, "COMMENT"))
            return Ok<string?>(null, input, input);
        var comment = Comment(input);
        return comment.HasValue ? Ok<string?>(comment.Value, input, comment.Remainder) : Fail<string, string?>(comment);
    }

    /// <summary>WATERMARK FOR column AS expression.</summary>
    private static TokenListParserResult<SqlToken, TableElement> Watermark(TokenList<SqlToken> input)
    {
        Peek(input, out var watermark);
        var column = Name(Skip(input, 2));
        if (!column.HasValue)
            return Fail<Identifier, TableElement>(column);
        var @as = Keyword("AS")(column.Remainder);
        if (!@as.HasValue)
            return Fail<Token<SqlToken>, TableElement>(@as);
        var strategy = ExpressionGrammar.Expression(@as.Remainder);
        return strategy.HasValue
            ? Ok<TableElement>(new WatermarkDefinition(column.Value, strategy.Value, Pos(watermark)), input, strategy.Remainder)
            : Fail<Expression, TableElement>(strategy);
    }

    /// <summary>PRIMARY KEY (columns) [NOT ENFORCED]; <paramref name="input"/> is at PRIMARY.</summary>
    private static TokenListParserResult<SqlToken, TableElement> PrimaryKey(TokenList<SqlToken> input, Identifier? constraintName, SourcePosition position)
    {
        var key = Keywords("PRIMARY", "KEY")(input);
        if (!key.HasValue)
            return Fail<Token<SqlToken>, TableElement>(key);
        var columns = Parenthesized(Name)(key.Remainder);
        if (!columns.HasValue)
            return Fail<NodeList<Identifier>, TableElement>(columns);
        var rest = columns.Remainder;
        var notEnforced = false;
        if (NextIsWord(rest, "NOT"))
        {
            var words = Keywords("NOT", "ENFORCED")(rest);
            if (!words.HasValue)
                return Fail<Token<SqlToken>, TableElement>(words);
            notEnforced = true;
            rest = words.Remainder;
        }
        return Ok<TableElement>(new PrimaryKeyConstraint(constraintName, columns.Value, notEnforced, position), input, rest);
    }

    /// <summary>ALTER TABLE [IF EXISTS] name ADD | RENAME | SET | RESET | DROP ...</summary>
    public static TokenListParserResult<SqlToken, Statement> Alter(TokenList<SqlToken> input)
    {
        Peek(input, out var alter);
        var position = Pos(alter);
        var table = Keyword("TABLE")(Skip(input));
        if (!table.HasValue)
            return Fail<Token<SqlToken>, Statement>(table);
        var ifExists = IfExists(table.Remainder);
        if (!ifExists.HasValue)
            return Fail<bool, Statement>(ifExists);
        var name = DottedName(ifExists.Remainder);
        if (!name.HasValue)
            return Fail<QualifiedName, Statement>(name);
        var rest = name.Remainder;
        var ifExistsValue = ifExists.Value;
        Peek(rest, out var action);
        var afterAction = Skip(rest);

        if (IsWord(action, "ADD"))
        {
            TokenListParserResult<SqlToken, NodeList<TableElement>> elements;
            if (NextIs(afterAction, SqlToken.LeftParen))
            {
                elements = Parenthesized(TableElementParser)(afterAction);
            }
            else
            {
                var at = NextIsWord(afterAction, "COLUMN") ? Skip(afterAction) : afterAction;
                var single = TableElement(at);
                elements = single.HasValue ? Ok<NodeList<TableElement>>([single.Value], at, single.Remainder) : Fail<TableElement, NodeList<TableElement>>(single);
            }
            return elements.HasValue
                ? Ok<Statement>(new AlterTableAddStatement(name.Value, ifExistsValue, elements.Value, position), input, elements.Remainder)
                : Fail<NodeList<TableElement>, Statement>(elements);
        }
        if (IsWord(action, "RENAME"))
        {
            if (NextIsWord(afterAction, "TO"))
            {
                var newName = DottedName(Skip(afterAction));
                return newName.HasValue
                    ? Ok<Statement>(new AlterTableRenameStatement(name.Value, ifExistsValue, newName.Value, position), input, newName.Remainder)
                    : Fail<QualifiedName, Statement>(newName);
            }
            var at = NextIsWord(afterAction, "COLUMN") ? Skip(afterAction) : afterAction;
            var column = Name(at);
            if (!column.HasValue)
                return IsPartial(column, at) ? Fail<Identifier, Statement>(column) : Expected<Statement>(at, "TO", "column name");
            var to = Keyword("TO")(column.Remainder);
            if (!to.HasValue)
                return Fail<Token<SqlToken>, Statement>(to);
            var newColumn = Name(to.Remainder);
            return newColumn.HasValue
                ? Ok<Statement>(new AlterTableRenameColumnStatement(name.Value, ifExistsValue, column.Value, newColumn.Value, position), input, newColumn.Remainder)
                : Fail<Identifier, Statement>(newColumn);
        }
        if (IsWord(action, "SET"))
        {
            var options = OptionGrammar.PropertyList(afterAction);
            return options.HasValue
                ? Ok<Statement>(new AlterTableSetStatement(name.Value, ifExistsValue, options.Value, position), input, options.Remainder)
                : Fail<NodeList<Property>, Statement>(options);
        }
        if (IsWord(action, "RESET"))
        {
            var keys = Parenthesized(StringValue)(afterAction);
            return keys.HasValue
                ? Ok<Statement>(new AlterTableResetStatement(name.Value, ifExistsValue, keys.Value, position), input, keys.Remainder)
                : Fail<NodeList<string>, Statement>(keys);
        }
        if (IsWord(action, "DROP"))
        {
            TokenListParserResult<SqlToken, NodeList<Identifier>> columns;
            if (NextIs(afterAction, SqlToken.LeftParen))
            {
                columns = Parenthesized(Name)(afterAction);
            }
            else
            {
                var at = NextIsWord(afterAction, "COLUMN") ? Skip(afterAction) : afterAction;
                var single = Name(at);
                columns = single.HasValue ? Ok<NodeList<Identifier>>([single.Value], at, single.Remainder) : Fail<Identifier, NodeList<Identifier>>(single);
            }
            return columns.HasValue
                ? Ok<Statement>(new AlterTableDropColumnsStatement(name.Value, ifExistsValue, columns.Value, position), input, columns.Remainder)
                : Fail<NodeList<Identifier>, Statement>(columns);
        }
        return Expected<Statement>(rest, "ADD", "RENAME", "SET", "RESET", "DROP");
    }
}
