namespace Tarn.Console;

internal static class Program
{
    private static int Main(string[] args) =>
        ConsoleApp.Run(args, System.Console.In, System.Console.Out, System.Console.Error);
}
