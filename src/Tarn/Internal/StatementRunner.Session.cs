using Tarn.Planner.Binding;
using Tarn.Sql.Ast;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Internal;

internal static partial class StatementRunner
{
    private static TarnResult UseCatalog(TarnSession session, UseCatalogStatement use)
    {
        var catalog = session.Core.Catalog.Current.FindCatalog(use.Name.Value)
            ?? throw new TarnException(SqlStates.InvalidCatalogName, $"catalog '{use.Name.Value}' does not exist at {use.Name.Position}", use.Name.Position);
        session.CurrentCatalog = catalog.Name;
        session.CurrentDatabase = catalog.FindDatabase(Catalog.Model.CatalogImage.DefaultDatabase)?.Name
            ?? catalog.Databases.FirstOrDefault()?.Name ?? Catalog.Model.CatalogImage.DefaultDatabase;
        return TarnResult.Ok(StatementKind.Use, $"Using catalog {catalog.Name}");
    }

    private static TarnResult UseDatabase(TarnSession session, UseDatabaseStatement use)
    {
        var parts = use.Name.Parts;
        var catalogName = parts.Count > 1 ? parts[0].Value : session.CurrentCatalog;
        var dbName = parts[^1].Value;
        var db = session.Core.Catalog.FindDatabase(catalogName, dbName)
            ?? throw new TarnException(SqlStates.InvalidSchemaName, $"database '{catalogName}.{dbName}' does not exist at {use.Name.Position}", use.Name.Position);
        session.CurrentCatalog = session.Core.Catalog.Current.FindCatalog(catalogName)!.Name;
        session.CurrentDatabase = db.Name;
        return TarnResult.Ok(StatementKind.Use, $"Using database {session.CurrentCatalog}.{db.Name}");
    }

    private static TarnResult Set(TarnSession session, SetStatement set)
    {
        if (set.Key is null)
        {
            var keys = new BinaryVector(DataType.String, 8);
            var values = new BinaryVector(DataType.String, 8);
            foreach (var (k, v) in session.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                keys.Append(k);
                values.Append(v);
            }
            return new TarnResult(StatementKind.Set, [new TarnColumn("key", DataType.String), new TarnColumn("value", DataType.String)],
                [new ColumnBatch([keys, values], keys.Count)]);
        }
        ValidateOption(set.Key, set.Value!, set.Position);
        session.SetOption(set.Key, set.Value!);
        return TarnResult.Ok(StatementKind.Set, $"{set.Key} = {set.Value}");
    }

    private static TarnResult Reset(TarnSession session, ResetStatement reset)
    {
        session.ResetOption(reset.Key);
        return TarnResult.Ok(StatementKind.Set, reset.Key is null ? "All session options reset" : $"{reset.Key} reset");
    }

    private static void ValidateOption(string key, string value, SourcePosition position)
    {
        ValidateLimitOption(key, value, position);
        switch (key.ToLowerInvariant())
        {
            case "parallelism" or "table.exec.resource.default-parallelism":
                if (!int.TryParse(value, out var p) || p < 1 && p != -1)
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be a positive integer (or -1 for all cores), got '{value}'", position);
                break;
            case "table.local-time-zone":
                _ = TimeZoneOf(value, position);
                break;
            case "execution.runtime-mode":
                if (!string.Equals(value, "batch", StringComparison.OrdinalIgnoreCase) && !string.Equals(value, "streaming", StringComparison.OrdinalIgnoreCase))
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'execution.runtime-mode' must be 'batch' or 'streaming', got '{value}'", position);
                break;
            case NullOrders.OptionKey:
                if (NullOrders.Parse(value) is null)
                    throw new TarnException(SqlStates.InvalidParameterValue,
                        $"'{key}' must be 'nulls_first_on_asc_last_on_desc', 'nulls_last_on_asc_first_on_desc', 'nulls_first' or 'nulls_last', got '{value}'", position);
                break;
            case "table.exec.state.ttl" or "execution.checkpointing.interval" or "table.exec.source.idle-timeout" or Streaming.JobSettings.StateCheckpointIntervalKey:
                if (!SettingValues.TryParseDuration(value, out var duration) || duration < TimeSpan.Zero)
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be a duration such as '500 ms', '10 s' or '1 d', got '{value}'", position);
                break;
            case Streaming.JobSettings.StateMemoryKey:
                Streaming.JobSettings.ParseStateMemory(value, position);
                break;
            case "sql-client.execution.result-mode":
                if (value.ToLowerInvariant() is not ("table" or "changelog" or "tableau"))
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be 'table', 'changelog' or 'tableau', got '{value}'", position);
                break;
            case "query.memory-limit-mb":
                if (!long.TryParse(value, out var mb) || mb < 1)
                    throw new TarnException(SqlStates.InvalidParameterValue, $"'{key}' must be a positive number of megabytes", position);
                break;
        }
    }

    internal static TimeZoneInfo TimeZoneOf(string? name, SourcePosition? position = null)
    {
        if (string.IsNullOrEmpty(name) || name is "UTC" or "utc" or "Z") return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new TarnException(SqlStates.InvalidParameterValue, $"unknown time zone '{name}'", position ?? new SourcePosition(1, 1));
        }
    }

    internal static int Parallelism(TarnSession session)
    {
        var text = session.GetOption("parallelism") ?? session.GetOption("table.exec.resource.default-parallelism");
        if (text is not null && int.TryParse(text, out var p) && p > 0) return p;
        return session.Core.Options.Parallelism > 0 ? session.Core.Options.Parallelism : Environment.ProcessorCount;
    }
}
