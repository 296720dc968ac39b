namespace Tarn.Types;

/// <summary>The logical SQL types (Flink's type system). Values are persisted in segment footers and the catalog: never renumber.</summary>
public enum TypeKind : byte
{
    Boolean = 1,
    TinyInt = 2,
    SmallInt = 3,
    Int = 4,
    BigInt = 5,
    Float = 6,
    Double = 7,
    Decimal = 8,
    Char = 9,
    Varchar = 10,
    Binary = 11,
    Varbinary = 12,
    Date = 13,
    Time = 14,
    Timestamp = 15,
    TimestampLtz = 16,
    /// <summary>The type of an untyped NULL literal before binding resolves it.</summary>
    Null = 17,
    /// <summary>Intervals exist only in expressions (not stored): day-time in microseconds.</summary>
    IntervalDayTime = 18,
    /// <summary>Year-month intervals in months.</summary>
    IntervalYearMonth = 19,
    /// <summary>ARRAY&lt;T&gt; (DuckDB's T[]): values are byte strings in the order-preserving encoding of storage-spec/04-encodings.md §4.10.</summary>
    Array = 20,
    /// <summary>ROW&lt;name type, ...&gt; (Flink's structured row): a column of connector tables only, read field by field.</summary>
    Row = 21,
}

/// <summary>How values of a type are laid out in memory and on disk.</summary>
public enum PhysicalType : byte
{
    Bool = 1,
    Int8 = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    Int128 = 6,
    Float32 = 7,
    Float64 = 8,
    /// <summary>Variable-length bytes (UTF-8 text or raw bytes).</summary>
    Binary = 9,
}
