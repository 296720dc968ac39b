using Tarn.Console.Cli;
using Tarn.Console.Printing;

namespace Tarn.Console;

/// <summary>Runs scripts against a session, printing each result and, on failure, the error.</summary>
internal sealed class ScriptRunner(TarnSession session, ResultPrinter printer, TextWriter errors, InterruptHandler interrupts)
{
    /// <summary>The current output format's printer (the prompt's <c>.mode</c> replaces it).</summary>
    public ResultPrinter Printer { get; set; } = printer;

    /// <summary>Set by the interactive prompt: shows a streaming SELECT's result live (Live/LiveQueryRunner.cs).</summary>
    public Live.LiveQueryRunner? LiveQueries { get; set; }

    /// <summary>Draw a progress line on the error stream (a terminal) while a statement reads large files.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>
    /// Runs the statements of <paramref name="script"/> in order; false after printing the first error (statements
    /// after it do not run). Ctrl-C cancels the whole script.
    /// </summary>
    public async Task<bool> RunAsync(string script, ScriptSource source)
    {
        if (LiveQueries is not null && await LiveQueries.TryRunScriptAsync(script, source, Printer, errors, interrupts) is { } live) return live;
        var cancellation = interrupts.BeginStatement();
        using var progress = ProgressLine.Attach(session, errors, ShowProgress);
        try
        {
            await foreach (var (_, result) in session.ExecuteScriptAsync(script, cancellation).WithCancellation(cancellation))
            {
                Printer.TimeZone = SessionTimeZone.Of(session);
                Printer.Print(result);
            }
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Engine bugs surface as other exception types; the prompt must survive them too.
            ErrorPrinter.Print(errors, e, script, source);
            return false;
        }
        finally
        {
            interrupts.EndStatement();
        }
    }
}
