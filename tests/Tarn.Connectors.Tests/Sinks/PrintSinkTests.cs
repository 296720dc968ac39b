using Tarn.Catalog.Model;
using Tarn.Connectors.Sinks;

namespace Tarn.Connectors.Tests.Sinks;

public sealed class PrintSinkTests
{
    [Fact]
    public void Prints_each_change_like_flink_once_the_epoch_commits()
    {
        var output = new StringWriter();
        var table = new TableDef("p", 0, [], [], [], null, new Dictionary<string, string> { ["connector"] = "print", ["print-identifier"] = "out" }, null);
        var sink = new PrintSink(table, output);
        sink.Write(StagedEpochsTests.Batch([(0, 1, "a"), (1, 1, "a"), (2, 1, null), (3, null, "z")]));
        Assert.Equal("", output.ToString());
        sink.PreCommit(1);
        sink.Commit(1);
        Assert.Equal("out> +I[1, a]\nout> -U[1, a]\nout> +U[1, null]\nout> -D[null, z]\n", output.ToString());
        sink.Write(StagedEpochsTests.Batch([(0, 5, "x")]));
        sink.Discard();
        sink.Commit(2);
        Assert.Equal(4, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
