namespace Tarn.Server.PgWire;

/// <summary>A statement from Parse: its text and the parameter type OIDs (0 = let the server decide).</summary>
internal sealed record PgPreparedStatement(string Sql, int[] ParameterOids);
