namespace Tarn;

/// <summary>Session-scoped state of SQL functions and sequences.</summary>
public sealed partial class TarnSession
{
    private readonly Dictionary<string, long> _sequenceValues = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The session's temporary SQL functions (CREATE TEMPORARY FUNCTION name(...) AS expression), keyed like
    /// <see cref="TemporaryViews"/>; they shadow catalog functions. Changes bump <see cref="TemporaryViewsVersion"/>.
    /// </summary>
    internal Dictionary<string, Catalog.Model.MacroDef> TemporaryMacros { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Remembers what NEXTVAL returned for a sequence (its full path), for CURRVAL.</summary>
    internal void SetSequenceValue(string sequence, long value)
    {
        lock (_sequenceValues) _sequenceValues[sequence] = value;
    }

    internal long? GetSequenceValue(string sequence)
    {
        lock (_sequenceValues) return _sequenceValues.TryGetValue(sequence, out var v) ? v : null;
    }
}
