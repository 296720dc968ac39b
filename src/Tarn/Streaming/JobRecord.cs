using Tarn.Storage.Format;

namespace Tarn.Streaming;

/// <summary>The lifecycle state of a streaming job (Flink's names).</summary>
public enum JobStatus : byte
{
    Running = 1,
    /// <summary>Stopped by STOP JOB; its state is kept until the job is dropped.</summary>
    Stopped = 2,
    /// <summary>Failed with an error that restarting would repeat (see <see cref="JobRecord.Error"/>).</summary>
    Failed = 3,
    /// <summary>Every source was bounded and has been read to the end.</summary>
    Finished = 4,
}

/// <summary>
/// Everything durable about one streaming job, committed as the job-progress log operation (storage-spec/11-jobs.md)
/// in the same commit as the job's output: the definition (statement and session context), its status, the epoch,
/// each source's position after that epoch and the state checkpoint that matches those positions.
/// </summary>
public sealed record JobRecord
{
    /// <summary>Version 2 adds the positions the state checkpoint matches (JOB-004), version 3 the late-row count (JOB-005); older records still read.</summary>
    private const byte FormatVersion = 3;

    public required string Id { get; init; }
    public required string Sql { get; init; }
    public required string Catalog { get; init; }
    public required string Database { get; init; }
    public required IReadOnlyDictionary<string, string> Options { get; init; }
    public long CreatedMicros { get; init; }
    public JobStatus Status { get; init; } = JobStatus.Running;
    public string? Error { get; init; }
    public long Epoch { get; init; }
    public Guid? StateCheckpoint { get; init; }
    public IReadOnlyList<byte[]> SourcePositions { get; init; } = [];
    public long RowsIn { get; init; }
    public long RowsOut { get; init; }
    public long LastCommitMicros { get; init; }
    public long LastCheckpointMicros { get; init; }

    /// <summary>
    /// The source positions the state checkpoint matches, when they are older than <see cref="SourcePositions"/>
    /// (state checkpoints less frequent than epochs, JOB-004): after a restart the job restores the checkpoint, replays
    /// its sources from these positions up to <see cref="SourcePositions"/> without emitting output, then continues.
    /// Empty: replay from the sources' initial positions (no checkpoint yet). Null: the checkpoint matches
    /// <see cref="SourcePositions"/> (nothing to replay).
    /// </summary>
    public IReadOnlyList<byte[]>? CheckpointPositions { get; init; }

    /// <summary>The epoch whose end the state checkpoint matches (equal to <see cref="Epoch"/> when nothing is to be replayed).</summary>
    public long CheckpointEpoch { get; init; }

    /// <summary>Rows the job's operators refused because the watermark had passed them (committed with each epoch).</summary>
    public long LateRows { get; init; }

    public byte[] Encode()
    {
        var w = new ByteWriter(256);
        w.WriteByte(FormatVersion);
        w.WriteString(Id);
        w.WriteString(Sql);
        w.WriteString(Catalog);
        w.WriteString(Database);
        w.WriteVarUInt((ulong)Options.Count);
        foreach (var (key, value) in Options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            w.WriteString(key);
            w.WriteString(value);
        }
        w.WriteVarInt(CreatedMicros);
        w.WriteByte((byte)Status);
        w.WriteNullableString(Error);
        w.WriteVarUInt((ulong)Epoch);
        w.WriteBool(StateCheckpoint is not null);
        if (StateCheckpoint is { } token) w.WriteGuid(token);
        w.WriteVarUInt((ulong)SourcePositions.Count);
        foreach (var p in SourcePositions) w.WriteBlob(p);
        w.WriteVarUInt((ulong)RowsIn);
        w.WriteVarUInt((ulong)RowsOut);
        w.WriteVarInt(LastCommitMicros);
        w.WriteVarInt(LastCheckpointMicros);
        w.WriteVarUInt((ulong)CheckpointEpoch);
        w.WriteBool(CheckpointPositions is not null);
        if (CheckpointPositions is { } replayFrom)
        {
            w.WriteVarUInt((ulong)replayFrom.Count);
            foreach (var p in replayFrom) w.WriteBlob(p);
        }
        w.WriteVarUInt((ulong)LateRows);
        return w.ToArray();
    }

    public static JobRecord Decode(ReadOnlySpan<byte> data)
    {
        var r = new ByteReader(data, "job progress");
        var version = r.ReadByte();
        if (version is < 1 or > FormatVersion)
            throw new TarnException(SqlStates.FeatureNotSupported, $"a streaming job was recorded in job format {version}; this Tarn reads formats 1 to {FormatVersion}");
        var id = r.ReadString();
        var sql = r.ReadString();
        var catalog = r.ReadString();
        var database = r.ReadString();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var optionCount = r.ReadCount(1 << 16);
        for (var i = 0; i < optionCount; i++) options[r.ReadString()] = r.ReadString();
        var created = r.ReadVarInt();
        var status = (JobStatus)r.ReadByte();
        var error = r.ReadNullableString();
        var epoch = (long)r.ReadVarUInt();
        Guid? token = r.ReadBool() ? r.ReadGuid() : null;
        var positions = new byte[r.ReadCount(1 << 16)][];
        for (var i = 0; i < positions.Length; i++) positions[i] = r.ReadBlob().ToArray();
        var record = new JobRecord
        {
            Id = id, Sql = sql, Catalog = catalog, Database = database, Options = options, CreatedMicros = created,
            Status = status, Error = error, Epoch = epoch, StateCheckpoint = token, SourcePositions = positions,
            RowsIn = (long)r.ReadVarUInt(), RowsOut = (long)r.ReadVarUInt(), LastCommitMicros = r.ReadVarInt(), LastCheckpointMicros = r.ReadVarInt(),
            CheckpointEpoch = epoch,
        };
        if (version >= 2)
        {
            var checkpointEpoch = (long)r.ReadVarUInt();
            IReadOnlyList<byte[]>? replayFrom = null;
            if (r.ReadBool())
            {
                var list = new byte[r.ReadCount(1 << 16)][];
                for (var i = 0; i < list.Length; i++) list[i] = r.ReadBlob().ToArray();
                replayFrom = list;
            }
            record = record with { CheckpointEpoch = checkpointEpoch, CheckpointPositions = replayFrom };
        }
        if (version >= 3) record = record with { LateRows = (long)r.ReadVarUInt() };
        r.ExpectEnd();
        return record;
    }
}
