namespace Tarn.Server.PgWire;

/// <summary>A bound statement from Bind: parameters, result formats, and once run its result and how far Execute got.</summary>
internal sealed class PgPortal(PgPreparedStatement statement, object?[] parameters, short[] resultFormats)
{
    public PgPreparedStatement Statement { get; } = statement;
    public object?[] Parameters { get; } = parameters;
    public short[] ResultFormats { get; } = resultFormats;
    public PgStatementOutcome? Outcome { get; set; }
    public int RowsSent { get; set; }

    /// <summary>Whether the client described this portal, and so knows its columns whatever the statement's description said.</summary>
    public bool Described { get; set; }

    /// <summary>The format of column <paramref name="column"/>: no codes = text, one code = all columns, else per column.</summary>
    public short FormatOf(int column) =>
        ResultFormats.Length == 0 ? (short)0 : ResultFormats.Length == 1 ? ResultFormats[0] : ResultFormats[column];
}
