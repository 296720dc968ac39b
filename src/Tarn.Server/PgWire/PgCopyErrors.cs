using System.Text;

namespace Tarn.Server.PgWire;

/// <summary>SQLSTATEs and messages of COPY and of the connection limits (worded as PostgreSQL words them).</summary>
internal static class PgCopyErrors
{
    public const string BadCopyFileFormat = "22P04";
    public const string CharacterNotInRepertoire = "22021";
    public const string InvalidDatetimeFormat = "22007";
    public const string TooManyConnections = "53300";
    public const string IdleSessionTimeout = "57P05";

    /// <summary>At most this much of a bad value is quoted in a message.</summary>
    private const int QuotedBytes = 100;

    public static string Quote(ReadOnlySpan<byte> value) =>
        Encoding.UTF8.GetString(value.Length > QuotedBytes ? value[..QuotedBytes] : value) + (value.Length > QuotedBytes ? "..." : "");

    public static TarnException InvalidInput(PgCopyColumn column, ReadOnlySpan<byte> value) =>
        new(SqlStates.InvalidTextRepresentation, $"invalid input syntax for type {column.PgTypeName}: \"{Quote(value)}\"");

    public static TarnException OutOfRange(PgCopyColumn column, ReadOnlySpan<byte> value) =>
        new(SqlStates.NumericValueOutOfRange, $"value \"{Quote(value)}\" is out of range for type {column.PgTypeName}");

    public static TarnException NumericOverflow(PgCopyColumn column) =>
        new(SqlStates.NumericValueOutOfRange, $"numeric field overflow: a field with precision {column.Type.Precision}, scale {column.Type.Scale} must round to an absolute value less than 10^{column.Type.Precision - column.Type.Scale}");

    public static TarnException DateOutOfRange(PgCopyColumn column) =>
        new(SqlStates.DatetimeFieldOverflow, $"{column.PgTypeName} out of range");

    public static TarnException BadEncoding(ReadOnlySpan<byte> value) =>
        new(CharacterNotInRepertoire, $"invalid byte sequence for encoding \"UTF8\" in \"{Quote(value)}\"");

    public static TarnException BadFormat(string message) => new(BadCopyFileFormat, message);

    public static TarnException BinaryLength(PgCopyColumn column, int length) =>
        new(SqlStates.InvalidTextRepresentation, $"incorrect binary data format: {length} bytes for a value of type {column.PgTypeName}");
}
