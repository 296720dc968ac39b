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

    public static readonly Column Offset = new(OffsetId, OffsetName, DataType.BigInt.WithNullable(false));

    /// <summary>The stored schema of a table: <c>$offset</c> first, then the user columns.</summary>
    public static Schema StoredSchema(Schema user)
    {
        var cols = new Column[user.Count + 1];
        cols[0] = Offset;
        for (var i = 0; i < user.Count; i++) cols[i + 1] = user[i];
        return new Schema(cols);
    }
}
