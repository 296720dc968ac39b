using System.Text;
using Tarn.Types;
using Tarn.Vectors;

namespace Tarn.Storage.Tests.Segments;

/// <summary>
/// The benchmark table's shape: sequential ids, dense $offset, skewed user ids in 0..100k, amounts with two
/// decimals, five statuses, and microsecond timestamps 3 s apart with 0-60 s of jitter.
/// </summary>
internal static class OrdersData
{
    public static readonly Schema Schema = new([
        new Column(-1, "$offset", DataType.BigInt.WithNullable(false)),
        new Column(0, "id", DataType.BigInt.WithNullable(false)),
        new Column(1, "user_id", DataType.BigInt),
        new Column(2, "amount", DataType.Double),
        new Column(3, "status", DataType.String),
        new Column(4, "ts", DataType.Timestamp(6)),
    ]);

    private static readonly byte[][] Statuses = [.. new[] { "pending", "paid", "shipped", "delivered", "cancelled" }.Select(Encoding.UTF8.GetBytes)];

    public static ColumnBatch Build(int rows, int seed = 42, long firstId = 0)
    {
        var rnd = new Random(seed);
        var offsets = new long[rows];
        var ids = new long[rows];
        var users = new long[rows];
        var amounts = new double[rows];
        var ts = new long[rows];
        var status = new BinaryVector(DataType.String, rows, rows * 8);
        var start = 1_700_000_000_000_000L;
        for (var i = 0; i < rows; i++)
        {
            offsets[i] = firstId + i;
            ids[i] = firstId + i;
            // Skewed: squaring a uniform number favours small user ids.
            var u = rnd.NextDouble();
            users[i] = (long)(u * u * 100_000);
            amounts[i] = rnd.Next(0, 100_000) / 100.0;
            status.Append(Statuses[rnd.Next(10) switch { < 4 => 3, < 6 => 2, < 8 => 1, 8 => 0, _ => 4 }]);
            ts[i] = start + (firstId + i) * 3_000_000L + rnd.NextInt64(0, 60_000_001);
        }
        return new ColumnBatch([
            new PrimitiveVector<long>(Schema[0].Type, offsets, rows),
            new PrimitiveVector<long>(Schema[1].Type, ids, rows),
            new PrimitiveVector<long>(Schema[2].Type, users, rows),
            new PrimitiveVector<double>(Schema[3].Type, amounts, rows),
            status,
            new PrimitiveVector<long>(Schema[5].Type, ts, rows),
        ], rows);
    }
}
