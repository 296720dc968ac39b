namespace Tarn.Connectors.Tests;

public class ConnectorRegistryTests
{
    [Theory]
    [InlineData("kafka")]
    [InlineData("JDBC")]
    [InlineData("upsert-kafka")]
    [InlineData("hive")]
    public void Flink_connector_names_are_known(string name) => Assert.NotNull(ConnectorRegistry.Validate(name));

    [Fact]
    public void No_connector_means_a_native_table() => Assert.Equal("tarn", ConnectorRegistry.Validate(null).Name);

    [Fact]
    public void Unknown_connectors_are_rejected_with_the_known_list()
    {
        var e = Assert.Throws<TarnException>(() => ConnectorRegistry.Validate("kafak"));
        Assert.Equal(SqlStates.UndefinedObject, e.SqlState);
        Assert.Contains("kafka", e.Message);
    }
}
