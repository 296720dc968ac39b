using Tarn.Catalog.Model;
using Tarn.Sql.Ast;
using Tarn.Sql.Formatting;

namespace Tarn.Internal;

/// <summary>CREATE/DROP FUNCTION (SQL macros) and CREATE/DROP SEQUENCE.</summary>
internal static partial class StatementRunner
{
    private static async Task<TarnResult> CreateMacroAsync(TarnSession session, CreateMacroStatement create)
    {
        if (create.TableBody is not null)
            throw new TarnException(SqlStates.FeatureNotSupported, $"table macros (AS TABLE query) are not supported at {create.Position}", create.Position);
        var path = PathOf(session, create.Name);
        var parameters = new List<string>();
        foreach (var p in create.Parameters)
        {
            if (parameters.Any(x => string.Equals(x, p.Value, StringComparison.OrdinalIgnoreCase)))
                throw new TarnException(SqlStates.DuplicateColumn, $"parameter '{p.Value}' appears twice in function '{path}' at {p.Position}", p.Position);
            parameters.Add(p.Value);
        }
        var macro = new MacroDef(path.Name, parameters, SqlFormatter.Format(create.Body!));
        if (create.Temporary)
        {
            var key = TarnSession.TemporaryViewKey(path);
            if (session.TemporaryMacros.ContainsKey(key) && !create.OrReplace)
            {
                if (create.IfNotExists) return TarnResult.Ok(StatementKind.Ddl, $"Temporary function {path} already exists");
                throw new TarnException(SqlStates.DuplicateFunction, $"temporary function '{path}' already exists at {create.Name.Position}", create.Name.Position);
            }
            session.TemporaryMacros[key] = macro;
            session.TemporaryViewsVersion++;
            return TarnResult.Ok(StatementKind.Ddl, $"Temporary function {path} created");
        }
        await session.Core.Catalog.CreateMacroAsync(path, macro, create.OrReplace, create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Function {path} created");
    }

    private static TarnResult CreateExternalFunction(CreateExternalFunctionStatement create) =>
        throw new TarnException(SqlStates.FeatureNotSupported,
            $"functions implemented in {create.Language ?? "JAVA"} ('{create.ClassName}') need a JVM, which Tarn does not have; define a SQL function with CREATE FUNCTION name(parameters) AS expression at {create.Position}",
            create.Position);

    private static async Task<TarnResult> DropFunctionAsync(TarnSession session, DropFunctionStatement drop)
    {
        var path = PathOf(session, drop.Name);
        // A temporary function shadows a permanent one, so plain DROP FUNCTION drops it first (as DROP VIEW does).
        if (session.TemporaryMacros.Remove(TarnSession.TemporaryViewKey(path)))
        {
            session.TemporaryViewsVersion++;
            return TarnResult.Ok(StatementKind.Ddl, $"Temporary function {path} dropped");
        }
        if (drop.Temporary)
        {
            if (drop.IfExists) return TarnResult.Ok(StatementKind.Ddl, $"Temporary function {path} does not exist");
            throw new TarnException(SqlStates.UndefinedFunction, $"temporary function '{path}' does not exist at {drop.Name.Position}", drop.Name.Position);
        }
        await session.Core.Catalog.DropMacroAsync(path, drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Function {path} dropped");
    }

    /// <summary>SHOW USER FUNCTIONS: the SQL functions of the current database and the session's temporary ones.</summary>
    private static List<string> UserFunctionNames(TarnSession session)
    {
        var names = session.Core.Catalog.FindDatabase(session.CurrentCatalog, session.CurrentDatabase)?.Macros.Select(m => m.Name).ToList() ?? [];
        var prefix = $"{session.CurrentCatalog}.{session.CurrentDatabase}.";
        foreach (var (key, macro) in session.TemporaryMacros)
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) names.Add(macro.Name);
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static async Task<TarnResult> CreateSequenceAsync(TarnSession session, CreateSequenceStatement create)
    {
        if (create.Temporary)
            throw new TarnException(SqlStates.FeatureNotSupported, $"temporary sequences are not supported at {create.Position}", create.Position);
        var path = PathOf(session, create.Name);
        var increment = create.Increment ?? 1;
        if (increment == 0)
            throw new TarnException(SqlStates.InvalidParameterValue, $"INCREMENT must not be zero at {create.Position}", create.Position);
        var min = create.MinValue ?? (increment > 0 ? 1 : long.MinValue);
        var max = create.MaxValue ?? (increment > 0 ? long.MaxValue : -1);
        if (min >= max)
            throw new TarnException(SqlStates.InvalidParameterValue, $"MINVALUE ({min}) must be less than MAXVALUE ({max}) at {create.Position}", create.Position);
        var start = create.Start ?? (increment > 0 ? min : max);
        if (start < min || start > max)
            throw new TarnException(SqlStates.InvalidParameterValue, $"START value ({start}) must be between MINVALUE ({min}) and MAXVALUE ({max}) at {create.Position}", create.Position);
        var sequence = new SequenceDef(path.Name, start, increment, min, max, create.Cycle, start, Exhausted: false);
        await session.Core.Catalog.CreateSequenceAsync(path, sequence, create.OrReplace, create.IfNotExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Sequence {path} created");
    }

    private static async Task<TarnResult> DropSequenceAsync(TarnSession session, DropSequenceStatement drop)
    {
        var path = PathOf(session, drop.Name);
        await session.Core.Catalog.DropSequenceAsync(path, drop.IfExists).ConfigureAwait(false);
        return TarnResult.Ok(StatementKind.Ddl, $"Sequence {path} dropped");
    }
}
