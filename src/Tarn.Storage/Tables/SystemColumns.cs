using Tarn.Types;

namespace Tarn.Storage.Tables;

/// <summary>
/// Columns the storage layer adds to every stored row. They have negative ids so they never collide with user
/// columns, and names starting with '$' which SQL identifiers cannot spell unquoted.
/// </summary>
public static class SystemColumns
{
    /// <summary>The row's offset within its bucket, relative to the containing part's base offset.</summary>
    public const int OffsetId = -1;
    public const string OffsetName = "$offset";

    /// <summary>The <see cref="RowKind"/> of a row of a primary-key table (absent from files of other tables; absent means +I).</summary>
    public const int RowKindId = -2;
    public const string RowKindName = "$kind";

    public static readonly Column Offset = new(OffsetId, OffsetName, DataType.BigInt.WithNullable(false));
    public static readonly Column Kind = new(RowKindId, RowKindName, DataType.TinyInt.WithNullable(false));

    /// <summary>The stored schema of an append-only table: <c>$offset</c> first, then the user columns.</summary>
    public static Schema StoredSchema(Schema user)
    {
        var cols = new Column[user.Count + 1];
        cols[0] = Offset;
        for (var i = 0; i < user.Count; i++) cols[i + 1] = user[i];
        return new Schema(cols);
    }

    /// <summary>The stored schema of a table: <c>$offset</c>, then <c>$kind</c> if it has a primary key, then the user columns.</summary>
    public static Schema StoredSchema(TableLayout layout)
    {
        if (!layout.HasPrimaryKey) return StoredSchema(layout.Schema);
        var user = layout.Schema;
        var cols = new Column[user.Count + 2];
        cols[0] = Offset;
        cols[1] = Kind;
        for (var i = 0; i < user.Count; i++) cols[i + 2] = user[i];
        return new Schema(cols);
    }

    /// <summary>Number of system columns before the user columns in <see cref="StoredSchema(TableLayout)"/>.</summary>
    public static int Prefix(TableLayout layout) => layout.HasPrimaryKey ? 2 : 1;
}
