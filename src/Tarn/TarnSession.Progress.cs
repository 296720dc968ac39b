using Tarn.Execution;

namespace Tarn;

public sealed partial class TarnSession
{
    /// <summary>
    /// Raised while a statement of this session reads large inputs (an INSERT or SELECT over filesystem tables), a few
    /// times a second, on the statement's thread: handlers must be quick and thread-safe.
    /// </summary>
    public event EventHandler<TarnProgress>? Progress;

    /// <summary>The progress sink of a new statement's execution context (null when nobody listens).</summary>
    internal IProgress<QueryProgress>? ProgressSink => Progress is null ? null : new ProgressForwarder(this);

    private sealed class ProgressForwarder(TarnSession session) : IProgress<QueryProgress>
    {
        public void Report(QueryProgress value) => session.Progress?.Invoke(session, new TarnProgress(value.Source, value.Done, value.Total));
    }
}
