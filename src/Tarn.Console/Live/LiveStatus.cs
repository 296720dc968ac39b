using System.Globalization;

namespace Tarn.Console.Live;

/// <summary>Where a live query stands: rows in its result now, changes received, time since it started.</summary>
internal readonly record struct LiveStatus(long Rows, long Changes, TimeSpan Elapsed, bool Ended = false)
{
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Rows} row{(Rows == 1 ? "" : "s")}, {Changes} change{(Changes == 1 ? "" : "s")}, {(int)Elapsed.TotalHours:00}:{Elapsed.Minutes:00}:{Elapsed.Seconds:00}");
        return Ended ? $"Query stopped: {text}" : $"{text} (Ctrl-C to stop)";
    }
}
