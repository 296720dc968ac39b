namespace Tarn.Execution;

/// <summary>
/// How far a statement's input has been read: <paramref name="Done"/> of <paramref name="Total"/> units (bytes for
/// file scans) of <paramref name="Source"/>. Reported at most a few times a second.
/// </summary>
public readonly record struct QueryProgress(string Source, long Done, long Total);
