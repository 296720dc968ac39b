using Tarn.Connectors.Formats;
using Tarn.Storage.Tables;
using Tarn.Types;

namespace Tarn.Connectors.Tests.Formats;

public class ChangelogFormatTests
{
    private static readonly (string, DataType)[] Fields = [("id", DataType.Int), ("name", DataType.String)];

    [Fact]
    public void Debezium_operations_become_row_kinds()
    {
        var kit = new FormatTestKit("debezium-json", Fields);
        kit.Decode("""{"before": null, "after": {"id": 1, "name": "a"}, "op": "c"}""")
            .Decode("""{"before": null, "after": {"id": 2, "name": "b"}, "op": "r"}""")
            .Decode("""{"before": {"id": 1, "name": "a"}, "after": {"id": 1, "name": "a2"}, "op": "u"}""")
            .Decode("""{"schema": {}, "payload": {"before": {"id": 2, "name": "b"}, "after": null, "op": "d"}}""")
            .Decode(null);
        Assert.Equal([[1, "a"], [2, "b"], [1, "a"], [1, "a2"], [2, "b"]], kit.Rows());
        Assert.Equal([RowKind.Insert, RowKind.Insert, RowKind.UpdateBefore, RowKind.UpdateAfter, RowKind.Delete], kit.Kinds);
    }

    [Fact]
    public void Debezium_messages_without_what_an_operation_needs_are_malformed()
    {
        var e = Assert.Throws<RowDecodeException>(() => new FormatTestKit("debezium-json", Fields).Decode("""{"before": null, "after": {"id": 1}, "op": "u"}"""));
        Assert.Contains("REPLICA IDENTITY FULL", e.Message, StringComparison.Ordinal);
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("debezium-json", Fields).Decode("""{"after": {"id": 1}, "op": "x"}"""));
        var kit = new FormatTestKit("debezium-json", Fields, ("ignore-parse-errors", "true"));
        kit.Decode("""{"after": {"id": 1}}""").Decode("""{"after": {"id": 1, "name": "a"}, "op": "c"}""");
        Assert.Equal(1, kit.Skipped);
        Assert.Equal([[1, "a"]], kit.Rows());
    }

    [Fact]
    public void Canal_updates_take_old_values_from_old_and_the_rest_from_data()
    {
        var kit = new FormatTestKit("canal-json", Fields, ("database.include", "shop"), ("table.include", "t|u"));
        kit.Decode("""{"data": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}], "old": null, "type": "INSERT", "database": "shop", "table": "t"}""")
            .Decode("""{"data": [{"id": "1", "name": "a2"}, {"id": "2", "name": "b2"}], "old": [{"name": "a"}, {"name": "b"}], "type": "UPDATE", "database": "shop", "table": "u"}""")
            .Decode("""{"data": [{"id": "2", "name": "b2"}], "old": null, "type": "DELETE", "database": "shop", "table": "t"}""")
            .Decode("""{"data": [{"id": "9", "name": "z"}], "type": "INSERT", "database": "other", "table": "t"}""")
            .Decode("""{"data": null, "type": "CREATE", "database": "shop", "table": "t", "isDdl": true}""");
        Assert.Equal([[1, "a"], [2, "b"], [1, "a"], [1, "a2"], [2, "b"], [2, "b2"], [2, "b2"]], kit.Rows());
        Assert.Equal([RowKind.Insert, RowKind.Insert, RowKind.UpdateBefore, RowKind.UpdateAfter, RowKind.UpdateBefore, RowKind.UpdateAfter, RowKind.Delete], kit.Kinds);
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("canal-json", Fields).Decode("""{"data": [{"id": "1"}], "type": "MERGE"}"""));
    }

    [Fact]
    public void Csv_and_raw_messages()
    {
        var csv = new FormatTestKit("csv", [("id", DataType.Int), ("name", DataType.String), ("price", DataType.Decimal(6, 2))], ("field-delimiter", "|"), ("ignore-parse-errors", "true"));
        csv.Decode("1|\"a|b\"|2.5\n").Decode("2||").Decode("3|x").Decode("x|y|1");
        Assert.Equal([[1, "a|b", 2.50m], [2, "", null], [null, "y", 1.00m]], csv.Rows());
        Assert.Equal(1, csv.Skipped);
        Assert.Throws<RowDecodeException>(() => new FormatTestKit("csv", [("id", DataType.Int), ("v", DataType.Int)]).Decode("1,2,3"));
        var raw = new FormatTestKit("raw", [("line", DataType.String)]);
        raw.Decode("any text, \"as is\"").Decode(null);
        Assert.Equal([["any text, \"as is\""], [null]], raw.Rows());
        Assert.Equal("22023", Assert.Throws<TarnException>(() => new FormatTestKit("raw", [("a", DataType.String), ("b", DataType.String)])).SqlState);
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => new FormatTestKit("raw", [("a", DataType.Int)])).SqlState);
        Assert.Equal("0A000", Assert.Throws<TarnException>(() => new FormatTestKit("protobuf", [("a", DataType.Int)])).SqlState);
    }
}
