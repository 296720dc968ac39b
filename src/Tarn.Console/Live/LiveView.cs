namespace Tarn.Console.Live;

/// <summary>
/// Draws a streaming SELECT while it runs. <see cref="LiveQueryRunner"/> calls <see cref="Begin"/>, then
/// <see cref="Apply"/> for every batch of changes (and <see cref="Tick"/> every <see cref="TickInterval"/> while none
/// arrive, to keep the elapsed time current), then <see cref="End"/> once the query stopped; all of it inside
/// <see cref="RunAsync"/>, which a view drawing with a Spectre live display wraps around the whole run.
/// </summary>
internal abstract class LiveView
{
    /// <summary>The zone TIMESTAMP_LTZ values are shown in.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>How often the status needs redrawing while no change arrives; null for views that show it only at the end.</summary>
    public virtual TimeSpan? TickInterval => null;

    public virtual Task RunAsync(Func<Task> run) => run();

    public abstract void Begin(IReadOnlyList<TarnColumn> columns, LiveStatus status);

    public abstract void Apply(TarnChangeBatch changes, TarnLiveTable table, LiveStatus status);

    public virtual void Tick(LiveStatus status) { }

    public abstract void End(TarnLiveTable table, LiveStatus status);
}
