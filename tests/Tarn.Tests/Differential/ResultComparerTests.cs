namespace Tarn.Tests.Differential;

/// <summary>The differential oracle itself: it must see real differences and ignore only representation.</summary>
public class ResultComparerTests
{
    private static string? Diff(object?[][] expected, object?[][] actual) =>
        ResultComparer.Difference(ResultComparer.Normalize(expected), ResultComparer.Normalize(actual));

    [Fact]
    public void Representation_differences_are_ignored()
    {
        Assert.Null(Diff([[1L, "a", 1L], [null, "b", 0L]], [[null, "b", false], [1, "a", true]]));
        Assert.Null(Diff([[0.1 + 0.2]], [[0.3]]));
        Assert.Null(Diff([[-0.0]], [[0.0]]));
        Assert.Null(Diff([[2.5]], [[2.5m]]));
    }

    [Fact]
    public void Real_differences_are_reported()
    {
        Assert.NotNull(Diff([[1L]], [[1L], [1L]]));
        Assert.NotNull(Diff([[1L], [2L]], [[1L], [1L]]));
        Assert.NotNull(Diff([[null]], [[0L]]));
        Assert.NotNull(Diff([["1"]], [[1L]]));
        Assert.NotNull(Diff([["a"]], [["A"]]));
        Assert.NotNull(Diff([[1.0]], [[1.000001]]));
        Assert.Contains("missing", Diff([[1L], [2L]], [[1L], [3L]]), StringComparison.Ordinal);
    }
}
