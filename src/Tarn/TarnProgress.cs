namespace Tarn;

/// <summary>
/// How far a running statement has read its input: <paramref name="Done"/> of <paramref name="Total"/> bytes of
/// <paramref name="Source"/> (the files of a filesystem table, for now).
/// </summary>
public readonly record struct TarnProgress(string Source, long Done, long Total);
