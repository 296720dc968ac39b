namespace Tarn.Server.PgWire;

/// <summary>A statement from Parse: its text and the parameter type OIDs (0 = let the server decide).</summary>
internal sealed record PgPreparedStatement(string Sql, int[] ParameterOids)
{
    /// <summary>
    /// The row description a Describe of this statement sent, which a client that prepared it keeps and decodes every
    /// later Execute with (Npgsql sends only Bind/Execute then). Null until described.
    /// </summary>
    public IReadOnlyList<TarnColumn>? DescribedColumns { get; set; }
}
