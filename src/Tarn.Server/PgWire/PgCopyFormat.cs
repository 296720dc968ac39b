namespace Tarn.Server.PgWire;

/// <summary>The data formats of COPY (PostgreSQL's FORMAT option).</summary>
internal enum PgCopyFormat
{
    Text,
    Csv,
    Binary,
}
