using Tarn.Console.Cli;
using Tarn.Console.Printing;

namespace Tarn.Console;

/// <summary>Runs scripts against a session, printing each result and, on failure, the error.</summary>
internal sealed class ScriptRunner(TarnSession session, ResultPrinter printer, TextWriter errors, InterruptHandler interrupts)
{
    /// <summary>The current output format's printer (the prompt's <c>.mode</c> replaces it).</summary>
    public ResultPrinter Printer { get; set; } = printer;

    /// <summary>
    /// Runs the statements of <paramref name="script"/> in order; false after printing the first error (statements
    /// after it do not run). Ctrl-C cancels the whole script.
    /// </summary>
    public async Task<bool> RunAsync(string script, ScriptSource source)
    {
        var cancellation = interrupts.BeginStatement();
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
