using Parquet.Schema;
using Tarn.Types;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Tarn's types as Parquet columns, as Flink's parquet format writes them: BOOLEAN, INT32 (TINYINT/SMALLINT/INT with
/// INT(8/16/32) annotations), INT64 (BIGINT), FLOAT, DOUBLE, DECIMAL(p,s), STRING (UTF-8 byte arrays), BYTES
/// (byte arrays), DATE, TIME(MICROS), TIMESTAMP(MICROS, or NANOS above precision 6; TIMESTAMP_LTZ adjusted to UTC).
/// Every column is written optional (nullable).
/// </summary>
internal static class ParquetSchemaMapping
{
    public static DataField ToField(string name, DataType type, string owner) => type.Kind switch
    {
        TypeKind.Boolean => new DataField<bool>(name, true),
        TypeKind.TinyInt => new DataField<sbyte>(name, true),
        TypeKind.SmallInt => new DataField<short>(name, true),
        TypeKind.Int => new DataField<int>(name, true),
        TypeKind.BigInt => new DataField<long>(name, true),
        TypeKind.Float => new DataField<float>(name, true),
        TypeKind.Double => new DataField<double>(name, true),
        TypeKind.Decimal when type.Precision <= 18 => new DecimalDataField(name, type.Precision, type.Scale, false, true),
        TypeKind.Decimal => new BigDecimalDataField(name, type.Precision, type.Scale, true),
        TypeKind.Char or TypeKind.Varchar => new DataField<string>(name, true),
        TypeKind.Binary or TypeKind.Varbinary => new DataField<byte[]>(name, true),
        TypeKind.Date => new DataField<DateOnly>(name, true),
        TypeKind.Time => new TimeDataField(name, TimeUnitPrecision.Micros, true) { IsAdjustedToUtc = false }, // a wall-clock time, not TIME WITH TIME ZONE
        TypeKind.Timestamp or TypeKind.TimestampLtz => new DateTimeDataField(name, DateTimeFormat.Timestamp, type.Kind == TypeKind.TimestampLtz,
            type.Precision > 6 ? DateTimeTimeUnit.Nanos : DateTimeTimeUnit.Micros, true),
        _ => throw new TarnException(SqlStates.FeatureNotSupported, $"{owner}: the parquet format cannot hold {type.ToSql()} column '{name}' yet"),
    };
}
