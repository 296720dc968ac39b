using System.Text;
using Tarn.Execution.Expressions;
using Tarn.Planner.Expressions;
using Tarn.Planner.Optimizer;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Skips the partition directories a query's filter excludes: the conjuncts that read only partition columns are
/// evaluated once per directory, over its <c>key=value</c> values, with the same expression kernels the filter runs
/// with. A directory is kept unless a conjunct is FALSE or NULL for it. When anything is in doubt (a value that does
/// not parse, an error while evaluating) nothing is pruned: the filter above the scan still decides every row.
/// </summary>
internal static class PartitionPruner
{
    /// <param name="outputSource">For each scan output: a data column (≥ 0) or <c>~k</c> for partition key k.</param>
    public static IReadOnlyList<string> Prune(FileSystemTable table, IReadOnlyList<string> files, BoundExpression filter,
        int[] outputSource, IReadOnlyList<DataType> outputTypes, ExecutionContext context)
    {
        var conjuncts = new List<BoundExpression>();
        foreach (var conjunct in ExpressionRewriter.Conjuncts(filter))
            if (OnlyPartitionColumns(conjunct, outputSource)) conjuncts.Add(conjunct);
        if (conjuncts.Count == 0 || files.Count == 0) return files;

        var directories = new List<string>();
        var directoryOf = new int[files.Count];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < files.Count; i++)
        {
            var directory = Path.GetDirectoryName(files[i]) ?? "";
            if (!index.TryGetValue(directory, out var d)) { index[directory] = d = directories.Count; directories.Add(files[i]); }
            directoryOf[i] = d;
        }
        if (Evaluate(table, directories, conjuncts, outputSource, outputTypes, context) is not { } keep) return files;
        var result = new List<string>(files.Count);
        for (var i = 0; i < files.Count; i++) if (keep[directoryOf[i]]) result.Add(files[i]);
        return result;
    }

    private static bool OnlyPartitionColumns(BoundExpression conjunct, int[] outputSource)
    {
        var columns = conjunct.ReferencedColumns();
        if (columns.Count == 0 || conjunct.IsVolatile) return false;
        foreach (var c in columns) if (c >= outputSource.Length || outputSource[c] >= 0) return false;
        var outer = false;
        conjunct.Walk(e => outer |= e is BoundOuterRef);
        return !outer;
    }

    /// <summary>For each directory (given by one of its files), whether every conjunct may be TRUE; null when unsure.</summary>
    private static bool[]? Evaluate(FileSystemTable table, List<string> directories, List<BoundExpression> conjuncts,
        int[] outputSource, IReadOnlyList<DataType> outputTypes, ExecutionContext context)
    {
        var columns = new ColumnVector[outputSource.Length];
        for (var o = 0; o < columns.Length; o++)
        {
            var builder = new CsvColumnBuilder(outputTypes[o], context.SessionTimeZone, directories.Count);
            for (var d = 0; d < directories.Count; d++)
            {
                if (outputSource[o] >= 0) { builder.AppendNull(); continue; } // not read by the conjuncts
                var text = PartitionPath.ValuesOf(table.Path, directories[d], table.PartitionKeys)[~outputSource[o]];
                if (text is null || text == table.DefaultPartitionName) builder.AppendNull();
                else if (!builder.TryAppend(Encoding.UTF8.GetBytes(text))) return null;
            }
            columns[o] = builder.Finish(1);
        }
        var batch = new ColumnBatch(columns, directories.Count);
        var keep = new bool[directories.Count];
        Array.Fill(keep, true);
        try
        {
            foreach (var conjunct in conjuncts)
            {
                if (ExpressionCompiler.Compile(conjunct, context).Evaluate(batch) is not PrimitiveVector<bool> result) return null;
                for (var d = 0; d < keep.Length; d++) keep[d] &= !result.IsNull(d) && result.Values[d];
            }
        }
        catch (TarnException)
        {
            return null;
        }
        return keep;
    }
}
