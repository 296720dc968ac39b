namespace Tarn;

/// <summary>Where a subscription cursor starts (RisingWave's <c>SINCE now() | begin() | unix_ms</c>, or <c>FULL</c>).</summary>
public enum TarnSubscriptionStartKind
{
    /// <summary>Changes committed after the cursor is declared (the default).</summary>
    Now,

    /// <summary>The oldest change the subscription still holds (committed since it was created, within its retention).</summary>
    Begin,

    /// <summary>The table as it stands (rows with op Insert and a NULL rw_timestamp), then every later change.</summary>
    Full,

    /// <summary>Changes committed at or after <see cref="TarnSubscriptionStart.UnixMillis"/>.</summary>
    Timestamp,
}

/// <summary>Where a subscription cursor starts; <see cref="UnixMillis"/> only for <see cref="TarnSubscriptionStartKind.Timestamp"/>.</summary>
public readonly record struct TarnSubscriptionStart(TarnSubscriptionStartKind Kind, long UnixMillis = 0)
{
    public static TarnSubscriptionStart Now => new(TarnSubscriptionStartKind.Now);
    public static TarnSubscriptionStart Begin => new(TarnSubscriptionStartKind.Begin);
    public static TarnSubscriptionStart Full => new(TarnSubscriptionStartKind.Full);
    public static TarnSubscriptionStart Since(long unixMillis) => new(TarnSubscriptionStartKind.Timestamp, unixMillis);
}
