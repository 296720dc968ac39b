namespace Tarn.Console.Tests;

public class InterruptHandlerTests
{
    [Fact]
    public void First_interrupt_cancels_the_running_statement_and_second_is_not_absorbed()
    {
        using var handler = new InterruptHandler();
        var token = handler.BeginStatement();

        Assert.True(handler.Interrupt());
        Assert.True(token.IsCancellationRequested);
        Assert.False(handler.Interrupt());
    }

    [Fact]
    public void Interrupt_with_nothing_running_is_not_absorbed_and_a_new_statement_starts_fresh()
    {
        using var handler = new InterruptHandler();
        Assert.False(handler.Interrupt());

        handler.BeginStatement();
        handler.Interrupt();
        handler.EndStatement();
        var next = handler.BeginStatement();

        Assert.False(next.IsCancellationRequested);
        Assert.True(handler.Interrupt());
    }
}
