using Tarn.Catalog;
using Tarn.Catalog.Model;
using Tarn.Planner.Logical;
using Tarn.Types;
using static Tarn.Connectors.Tests.Nexmark.NexmarkTestData;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.Tests.Nexmark;

/// <summary>The connector entry points: a table definition with ROW columns, read in batch and as a stream.</summary>
public class NexmarkConnectorTests
{
    private static TableDef Table(Dictionary<string, string> options) => new("datagen", 0,
    [
        new ColumnDef(0, "event_type", DataType.Int),
        new ColumnDef(1, "bid", DataType.Row([
            new RowField("auction", DataType.BigInt), new RowField("price", DataType.BigInt), new RowField("dateTime", DataType.Timestamp(3)),
            new RowField("url", DataType.String),
        ])),
        new ColumnDef(2, "person", DataType.Row([new RowField("id", DataType.BigInt), new RowField("name", DataType.String)])),
    ], [], [], null, options, null);

    /// <summary>A scan of the leaves at <paramref name="leaves"/> (pruned and reordered as projection pushdown may).</summary>
    private static LogicalConnectorScan Scan(TableDef table, params int[] leaves)
    {
        var all = ColumnLeaves.Physical(table);
        return new LogicalConnectorScan(new ObjectPath("c", "d", table.Name), table, leaves,
            leaves.Select(i => new OutputColumn(all[i].Name, all[i].Type)).ToList(), table.Name, new SourcePosition(1, 1));
    }

    [Theory]
    [InlineData(1, 3000)]
    [InlineData(3, 3000)] // batches generated three at a time, the last round partly
    [InlineData(8, 1024)]
    public void Batch_and_stream_reads_of_a_bounded_table_return_the_generator_rows_of_the_scanned_leaves(int parallelism, int batchSize)
    {
        var table = Table(new() { ["connector"] = "nexmark", ["events.num"] = "20000", ["seed"] = "5" });
        var scan = Scan(table, 6, 0, 2); // person.name, event_type, bid.price
        var context = new ExecutionContext { BatchSize = batchSize, Parallelism = parallelism };

        using var batch = ConnectorSources.Instance.OpenBatch(scan, context)!;
        Assert.Equal([DataType.String, DataType.Int, DataType.BigInt], batch.OutputTypes);
        var batchRows = new List<object?[]>();
        while (batch.Next() is { } b) batchRows.AddRange(Rows(b));

        using var stream = ConnectorSources.Instance.OpenStream(scan, context)!;
        Assert.Equal(batch.OutputTypes, stream.OutputTypes);
        var streamRows = new List<object?[]>();
        while (stream.Poll(7000) is { } b) streamRows.AddRange(Rows(b.Rows));
        Assert.True(stream.IsFinished);

        var expected = Rows(Generator(new Tarn.Connectors.Nexmark.NexmarkOptions { Seed = 5 },
            [Tarn.Connectors.Nexmark.NexmarkField.PersonName, Tarn.Connectors.Nexmark.NexmarkField.EventType, Tarn.Connectors.Nexmark.NexmarkField.BidPrice]).Generate(0, 20000));
        AssertSameRows(expected, batchRows);
        AssertSameRows(expected, streamRows);
    }

    [Fact]
    public void An_unbounded_table_streams_but_cannot_be_read_in_batch()
    {
        var table = Table(new() { ["connector"] = "nexmark" });
        var scan = Scan(table, 0);
        Assert.Equal(SqlStates.FeatureNotSupported, Assert.Throws<TarnException>(() => ConnectorSources.Instance.OpenBatch(scan, new ExecutionContext())).SqlState);
        using var stream = ConnectorSources.Instance.OpenStream(scan, new ExecutionContext())!;
        Assert.Equal(100_000, stream.Poll(100_000)!.RowCount);
        Assert.False(stream.IsFinished);
    }

    [Fact]
    public void Other_connectors_have_no_stream_source_and_bad_tables_are_rejected_at_create()
    {
        var csv = Table(new() { ["connector"] = "filesystem", ["path"] = "/nowhere", ["format"] = "csv" });
        Assert.Null(ConnectorSources.Instance.OpenStream(Scan(csv, 0), new ExecutionContext()));
        Assert.Equal(SqlStates.FeatureNotSupported, Assert.Throws<TarnException>(() => ConnectorSources.Instance.OpenBatch(Scan(csv, 0), new ExecutionContext())).SqlState);

        ConnectorRegistry.ValidateTable(Table(new() { ["connector"] = "nexmark" }));
        Assert.Equal(SqlStates.InvalidParameterValue,
            Assert.Throws<TarnException>(() => ConnectorRegistry.ValidateTable(Table(new() { ["connector"] = "nexmark", ["seed"] = "x" }))).SqlState);
        Assert.True(ConnectorRegistry.Find("nexmark")!.Available);
    }
}
