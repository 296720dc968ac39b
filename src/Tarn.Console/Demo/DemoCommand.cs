using Tarn.Console.Cli;
using Tarn.Console.Printing;

namespace Tarn.Console.Demo;

/// <summary><c>tarn demo</c>: opens the database (the default one unless DB_DIR is given) and runs <see cref="DemoRunner"/>.</summary>
internal static class DemoCommand
{
    public const string Name = "demo";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ConsoleIo io)
    {
        DemoOptions? options;
        try
        {
            options = DemoOptions.Parse(args, out var help);
            if (help)
            {
                io.Out.Write(DemoOptions.Help);
                return ExitCodes.Success;
            }
        }
        catch (UsageException e)
        {
            io.Error.Write($"tarn: {e.Message}\n{DemoOptions.Usage}Try 'tarn demo --help' for more information.\n");
            return ExitCodes.Usage;
        }

        var directory = Path.GetFullPath(options!.DatabasePath ?? TarnDatabase.DefaultPath);
        var database = await OpenAsync(directory, io);
        if (database is null) return ExitCodes.Error;
        if (options.DatabasePath is null && await DemoCatalog.IsForeignAsync(database.DefaultSession))
        {
            // Never touch the user's own my_hive (examples/quickstart.sql creates one): use a database beside it.
            await database.DisposeAsync();
            directory = DemoCatalog.FallbackPathFor(directory);
            io.Out.WriteLine($"(the default database has a catalog my_hive of its own, so the demo runs in {directory})");
            database = await OpenAsync(directory, io);
            if (database is null) return ExitCodes.Error;
        }
        await using (database)
        {
            try
            {
                return await new DemoRunner(database, options, new DemoNarrator(io)).RunAsync();
            }
            catch (TarnException e)
            {
                // The demo's own bookkeeping and checks (the scripts' statements report their errors themselves).
                ErrorPrinter.Print(io.Error, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"Error: {e.Message}");
            }
            return ExitCodes.Error;
        }
    }

    private static async Task<TarnDatabase?> OpenAsync(string directory, ConsoleIo io)
    {
        try
        {
            if (Path.GetDirectoryName(directory) is { } parent) Directory.CreateDirectory(parent);
            return await TarnDatabase.OpenAsync(directory);
        }
        catch (TarnException e)
        {
            ErrorPrinter.Print(io.Error, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error.WriteLine($"Error: cannot open database '{directory}': {e.Message}");
        }
        return null;
    }
}
