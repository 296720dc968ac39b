using Tarn.Storage.IO;
using Tarn.Storage.Format;
using Tarn.Storage.Log;
using Tarn.Storage.Tests.Support;

namespace Tarn.Storage.Tests.Log;

/// <summary>Torn tails, damaged frames and sequence gaps in the commit log, without the engine on top.</summary>
public class LogRecoveryTests
{
    private static readonly Guid Db = Guid.NewGuid();

    private static void WriteRecords(string dir, int count, long firstSeq = 1, long rollBytes = LogFormat.DefaultRollBytes)
    {
        var tail = LogReader.Replay(LocalFileSystem.Instance, dir, Db, firstSeq - 1, _ => { });
        using var writer = new LogWriter(LocalFileSystem.Instance, dir, Db, tail, rollBytes);
        for (var i = 0; i < count; i++)
        {
            var w = new ByteWriter();
            var seq = tail.LastSeq + 1 + i;
            LogFrames.WriteFrame(w, seq, 1000 + seq, [new CatalogOp(BitConverter.GetBytes(seq))]);
            writer.Append(w.WrittenSpan, seq);
        }
    }

    private static List<long> ReadSeqs(string dir, long after = 0)
    {
        var seqs = new List<long>();
        LogReader.Replay(LocalFileSystem.Instance, dir, Db, after, r => seqs.Add(r.Seq));
        return seqs;
    }

    [Fact]
    [Trait("Spec", "LOG-001")]
    public void Records_replay_in_order_across_rolled_files()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 50, rollBytes: 200);
        Assert.True(Directory.GetFiles(d.Path, "*.log").Length > 3);
        foreach (var file in LogReader.ListLogFiles(LocalFileSystem.Instance, d.Path))
            Assert.Null(LogFrames.CheckHeader(File.ReadAllBytes(file.Path), Db, file.FirstSeq, file.Path));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), ReadSeqs(d.Path));
        Assert.Equal(Enumerable.Range(31, 20).Select(i => (long)i), ReadSeqs(d.Path, 30));
        WriteRecords(d.Path, 5, 51, rollBytes: 200);
        Assert.Equal(55, ReadSeqs(d.Path).Count);
    }

    [Fact]
    [Trait("Spec", "LOG-010")]
    public void Every_truncation_of_the_last_record_is_a_torn_tail_that_is_cut_off()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 3);
        var file = Directory.GetFiles(d.Path, "*.log").Single();
        var full = File.ReadAllBytes(file);
        var withTwo = ReadLengthAfter(d.Path, 2);
        for (var len = (int)withTwo; len < full.Length; len++)
        {
            File.WriteAllBytes(file, full[..len]);
            Assert.Equal([1L, 2L], ReadSeqs(d.Path));
            Assert.Equal(withTwo, new FileInfo(file).Length);
        }
    }

    [Fact]
    [Trait("Spec", "LOG-010")]
    public void Garbage_after_the_last_record_is_cut_off()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 2);
        var file = Directory.GetFiles(d.Path, "*.log").Single();
        var good = new FileInfo(file).Length;
        File.AppendAllText(file, "garbage that is not a frame");
        Assert.Equal([1L, 2L], ReadSeqs(d.Path));
        Assert.Equal(good, new FileInfo(file).Length);
    }

    [Fact]
    [Trait("Spec", "LOG-011")]
    public void A_damaged_record_followed_by_a_valid_one_is_corruption()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 3);
        var file = Directory.GetFiles(d.Path, "*.log").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[LogFormat.HeaderSize + 30] ^= 0x10; // inside the first frame's payload
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<TarnException>(() => ReadSeqs(d.Path));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
        Assert.Contains(Path.GetFileName(file), e.Message);
        Assert.Equal(bytes.Length, new FileInfo(file).Length); // nothing was cut
    }

    [Fact]
    [Trait("Spec", "LOG-011")]
    public void A_missing_log_file_is_a_sequence_gap()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 30, rollBytes: 200);
        var files = Directory.GetFiles(d.Path, "*.log").OrderBy(f => f).ToList();
        File.Delete(files[1]);
        var e = Assert.Throws<TarnException>(() => ReadSeqs(d.Path));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
    }

    [Fact]
    [Trait("Spec", "LOG-012")]
    public void A_newest_file_with_a_torn_header_is_removed()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 2);
        File.WriteAllBytes(Path.Combine(d.Path, LogFormat.FileName(3)), LogFrames.BuildHeader(Db, 3)[..20]);
        Assert.Equal([1L, 2L], ReadSeqs(d.Path));
        Assert.Single(Directory.GetFiles(d.Path, "*.log"));
    }

    [Fact]
    [Trait("Spec", "HDR-003")]
    public void A_log_of_another_database_is_refused()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 2);
        var e = Assert.Throws<TarnException>(() => LogReader.Replay(LocalFileSystem.Instance, d.Path, Guid.NewGuid(), 0, _ => { }));
        Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
    }

    [Fact]
    [Trait("Spec", "DMG-001")]
    [Trait("Spec", "DMG-002")]
    public void Every_single_byte_flip_is_detected_or_harmless()
    {
        using var d = new TempDirectory();
        WriteRecords(d.Path, 4);
        var file = Directory.GetFiles(d.Path, "*.log").Single();
        var original = File.ReadAllBytes(file);
        for (var i = 0; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= (byte)(1 << (i % 8));
            File.WriteAllBytes(file, bytes);
            try
            {
                var seqs = ReadSeqs(d.Path);
                // Accepted only as a torn tail of the last record: a prefix of the records, never altered ones.
                Assert.Equal(Enumerable.Range(1, seqs.Count).Select(x => (long)x), seqs);
                Assert.True(seqs.Count >= 3, $"flip at {i} lost more than the last record");
            }
            catch (TarnException e)
            {
                Assert.Equal(SqlStates.DataCorrupted, e.SqlState);
            }
        }
    }

    private static long ReadLengthAfter(string dir, int records)
    {
        var file = Directory.GetFiles(dir, "*.log").Single();
        var bytes = File.ReadAllBytes(file);
        long pos = LogFormat.HeaderSize;
        for (var i = 0; i < records; i++) pos += LogFrames.TryReadFrame(bytes.AsSpan((int)pos), out _, out _, out _);
        return pos;
    }
}
