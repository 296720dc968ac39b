using System.Text;
using CsCheck;
using Tarn.Connectors.Sqlite;
using Tarn.Execution.Text;
using Tarn.Types;
using Xunit;

namespace Tarn.Connectors.Tests.Sqlite;

public class SqliteTimestampTextTests
{
    /// <summary>The sink's byte formatter writes exactly the text DateTimeText gives (the file's TEXT must not change), or declines.</summary>
    [Fact]
    public void Formats_byte_for_byte_as_DateTimeText()
    {
        var units = Gen.OneOf(Gen.Long[-400_000_000_000_000_000, 400_000_000_000_000_000], Gen.Long[-100_000_000_000_000, 100_000_000_000_000], Gen.Long);
        Gen.Select(units, Gen.Int[0, 9]).Sample((value, precision) =>
        {
            var type = DataType.Timestamp(precision);
            var buffer = new byte[SqliteTimestampText.MaxLength];
            var length = SqliteTimestampText.TryFormat(value, type, buffer);
            var expected = DateTimeText.FormatTimestamp(value, type);
            if (length < 0) return expected.StartsWith('-') || expected.IndexOf('-') > 4;
            return Encoding.ASCII.GetString(buffer, 0, length) == expected;
        });
    }

    [Theory]
    [InlineData(0L, 3, "1970-01-01 00:00:00.000")]
    [InlineData(-1L, 0, "1969-12-31 23:59:59.999999")]
    [InlineData(1_714_566_600_000_000L, 0, "2024-05-01 12:30:00")]
    [InlineData(1_714_566_600_123_400L, 3, "2024-05-01 12:30:00.1234")]
    public void Formats_examples(long micros, int precision, string expected)
    {
        var buffer = new byte[SqliteTimestampText.MaxLength];
        var length = SqliteTimestampText.TryFormat(micros, DataType.Timestamp(precision), buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, length));
    }
}
