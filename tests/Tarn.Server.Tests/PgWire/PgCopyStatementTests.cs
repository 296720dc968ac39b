using Tarn.Server.PgWire;

namespace Tarn.Server.Tests.PgWire;

/// <summary>The COPY recognizer: both option syntaxes, identifiers, defaults per format, and what it refuses.</summary>
public sealed class PgCopyStatementTests
{
    [Fact]
    public void ModernOptionList()
    {
        var c = PgCopyStatement.Parse("COPY \"My Table\" (a, \"B\") FROM STDIN WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'x', QUOTE '''', ESCAPE E'\\\\');");
        Assert.Equal(["My Table"], c.TableName);
        Assert.Equal(["a", "B"], c.Columns);
        Assert.True(c.IsFrom);
        Assert.Equal(PgCopyFormat.Csv, c.Format);
        Assert.True(c.Header);
        Assert.Equal((byte)';', c.Delimiter);
        Assert.Equal("x"u8.ToArray(), c.Null);
        Assert.Equal((byte)'\'', c.Quote);
        Assert.Equal((byte)'\\', c.Escape);
    }

    [Fact]
    public void LegacyOptionsAndDefaults()
    {
        var csv = PgCopyStatement.Parse("copy public.t from stdin delimiter as '|' csv header force not null a");
        Assert.Equal(["public", "t"], csv.TableName);
        Assert.Equal("public.t", csv.TablePath);
        Assert.Equal((byte)'|', csv.Delimiter);
        Assert.Equal(PgCopyFormat.Csv, csv.Format);
        Assert.True(csv.Header);
        Assert.Empty(csv.Null);
        Assert.Equal((byte)'"', csv.Escape);

        var text = PgCopyStatement.Parse("COPY (SELECT 1, ')') TO STDOUT");
        Assert.Equal("SELECT 1, ')'", text.Query);
        Assert.False(text.IsFrom);
        Assert.Equal((byte)'\t', text.Delimiter);
        Assert.Equal("\\N"u8.ToArray(), text.Null);

        Assert.Equal(PgCopyFormat.Binary, PgCopyStatement.Parse("COPY t FROM STDIN BINARY").Format);
        Assert.Equal(PgCopyFormat.Binary, PgCopyStatement.Parse("COPY t TO STDOUT (FORMAT 'binary')").Format);
    }

    [Theory]
    [InlineData("COPY t FROM '/etc/passwd'", "0A000")]
    [InlineData("COPY t TO PROGRAM 'rm -rf /'", "0A000")]
    [InlineData("COPY t FROM STDIN (FORMAT xml)", "22023")]
    [InlineData("COPY t FROM STDIN (BOGUS 1)", "42601")]
    [InlineData("COPY t FROM STDIN (FORMAT binary, DELIMITER ',')", "42601")]
    [InlineData("COPY t FROM STDIN (QUOTE '\"')", "0A000")]
    [InlineData("COPY t FROM STDIN (FORMAT csv, DELIMITER '\"')", "22023")]
    [InlineData("COPY t FROM STDIN (DELIMITER 'ab')", "0A000")]
    [InlineData("COPY (SELECT 1) FROM STDIN", "42601")]
    [InlineData("COPY t FROM STDOUT", "42601")]
    [InlineData("COPY t FROM STDIN garbage", "42601")]
    public void Refusals(string sql, string sqlState)
    {
        var error = Assert.Throws<TarnException>(() => PgCopyStatement.Parse(sql));
        Assert.Equal(sqlState, error.SqlState);
    }

    [Theory]
    [InlineData("COPY t FROM STDIN", true)]
    [InlineData("  copy\nt TO STDOUT", true)]
    [InlineData("COPYRIGHT", false)]
    [InlineData("copy_x", false)]
    [InlineData("SELECT 'COPY'", false)]
    public void RecognizesCopy(string sql, bool isCopy) => Assert.Equal(isCopy, PgCopyStatement.IsCopy(sql));
}
