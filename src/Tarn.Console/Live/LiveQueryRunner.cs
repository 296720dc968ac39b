using System.Diagnostics;
using Spectre.Console;
using Tarn.Console.Cli;
using Tarn.Console.Printing;
using Tarn.Sql;
using Tarn.Sql.Ast;

namespace Tarn.Console.Live;

/// <summary>
/// At the interactive prompt, in streaming mode (<c>SET 'execution.runtime-mode' = 'streaming'</c>), a SELECT runs as
/// a subscription (<see cref="TarnSession.SubscribeAsync(string, CancellationToken)"/>) whose result is shown live,
/// in the session's result mode (<see cref="LiveResultMode"/>), until Ctrl-C returns to the prompt. Scripts
/// (<c>-c</c>, <c>-f</c>, stdin, <c>.read</c>) never get here: their SELECTs run to the end, so scripts finish; nor
/// does the prompt in <c>.mode csv</c> or <c>json</c> (those print complete results).
/// </summary>
internal sealed class LiveQueryRunner(TarnSession session, ConsoleIo io)
{
    /// <summary>Called after each batch of changes was drawn (tests use it to know how far a query got).</summary>
    internal Action<LiveStatus>? AfterBatch { get; set; }

    public bool IsStreaming =>
        session.Options.TryGetValue("execution.runtime-mode", out var mode) && string.Equals(mode, "streaming", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Runs a script typed at the prompt when it holds a query: statement by statement, each query live while the
    /// session is in streaming mode. Null when the script is not for this runner (the caller runs it as usual).
    /// </summary>
    public async Task<bool?> TryRunScriptAsync(string script, ScriptSource source, ResultPrinter printer, TextWriter errors, InterruptHandler interrupts)
    {
        if (source.Kind != ScriptSourceKind.Prompt || printer.Format != OutputFormat.Table) return null;
        IReadOnlyList<Statement> statements;
        try
        {
            statements = SqlParser.ParseScript(script);
        }
        catch (TarnException)
        {
            return null; // the usual path reports the syntax error
        }
        var anyQuery = false;
        var anySet = false;
        foreach (var statement in statements)
        {
            anyQuery |= statement is QueryStatement;
            anySet |= statement is SetStatement;
        }
        // Only a query that may run in streaming mode takes this path (a SET before it may switch the mode).
        if (!anyQuery || !(IsStreaming || anySet)) return null;

        foreach (var statement in statements)
        {
            var live = statement is QueryStatement && IsStreaming;
            var cancellation = interrupts.BeginStatement(quiet: live);
            try
            {
                if (live)
                {
                    await RunAsync(statement.Text, cancellation);
                    continue;
                }
                await foreach (var (_, result) in session.ExecuteScriptAsync(statement.Text, cancellation).WithCancellation(cancellation))
                {
                    printer.TimeZone = SessionTimeZone.Of(session);
                    printer.Print(result);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ErrorPrinter.Print(errors, e, statement.Text, source);
                return false;
            }
            finally
            {
                interrupts.EndStatement();
            }
        }
        return true;
    }

    /// <summary>Shows <paramref name="sql"/>'s result live until <paramref name="cancellation"/> fires (or its input ends).</summary>
    public Task RunAsync(string sql, CancellationToken cancellation)
    {
        var subscription = session.SubscribeAsync(sql, cancellation);
        return RunAsync(subscription, CreateView(LiveResultModes.Of(session)), cancellation);
    }

    internal LiveView CreateView(LiveResultMode mode)
    {
        var timeZone = SessionTimeZone.Of(session);
        var terminal = io.IsSystemConsole && io.OutputIsTerminal;
        return mode switch
        {
            LiveResultMode.Changelog => new ChangelogView(io.Out, terminal) { TimeZone = timeZone },
            LiveResultMode.Tableau => new TableauView(io.Out, terminal) { TimeZone = timeZone },
            _ when terminal => new SpectreLiveTableView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Out) })) { TimeZone = timeZone },
            _ => new FinalTableView(io.Out) { TimeZone = timeZone },
        };
    }

    internal async Task RunAsync(TarnSubscription subscription, LiveView view, CancellationToken cancellation)
    {
        var table = new TarnLiveTable(subscription.Columns);
        var clock = Stopwatch.StartNew();
        LiveStatus Status(bool ended = false) => new(table.RowCount, table.ChangeCount, clock.Elapsed, ended);
        await view.RunAsync(async () =>
        {
            view.Begin(subscription.Columns, Status());
            var changes = subscription.GetAsyncEnumerator(cancellation);
            try
            {
                var next = changes.MoveNextAsync().AsTask();
                while (true)
                {
                    if (view.TickInterval is { } interval && !next.IsCompleted)
                    {
                        // Only the drawing of the elapsed time waits on a timer; the query itself waits for commits.
                        var tick = Task.Delay(interval, CancellationToken.None);
                        if (await Task.WhenAny(next, tick) != next)
                        {
                            view.Tick(Status());
                            continue;
                        }
                    }
                    if (!await next) break;
                    table.Apply(changes.Current);
                    view.Apply(changes.Current, table, Status());
                    AfterBatch?.Invoke(Status());
                    next = changes.MoveNextAsync().AsTask();
                }
            }
            finally
            {
                await changes.DisposeAsync();
            }
            view.End(table, Status(ended: true));
        });
    }
}
