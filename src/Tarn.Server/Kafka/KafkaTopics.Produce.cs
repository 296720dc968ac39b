using Tarn.Server.Kafka.Producers;
using Tarn.Vectors;

namespace Tarn.Server.Kafka;

internal sealed partial class KafkaTopics
{
    /// <summary>
    /// Stores one produced partition and waits until it is durable. Returns a Kafka error code and the offset of the
    /// batch's first row. Rows of keyed tables go to the buckets their keys hash to (a changelog: an update of a known
    /// key stores -U and +U rows): the offset is then that of the first record's first row, in the bucket it went to.
    /// <para>
    /// Idempotent producers (producer id &gt;= 0): the batch's sequence is checked against the producer's state for this
    /// partition under its gate; a retry of one of the last 5 batches answers the original offset without writing, a gap
    /// is OUT_OF_ORDER_SEQUENCE_NUMBER, an old epoch INVALID_PRODUCER_EPOCH. The new state is committed in the same
    /// record as the rows, with the base offsets filled in by the committer just before the record is written. The gate
    /// is held only until the commit is queued (its order is then fixed), so a producer's pipelined batches share
    /// fsyncs; each is still acknowledged only once durable, and a retry of a batch still committing waits for it.
    /// </para>
    /// </summary>
    public async Task<(short Error, long BaseOffset)> ProduceAsync(string topic, int partition, ReadOnlyMemory<byte> data,
        DecompressionBudget inflate, Action<int>? stored = null)
    {
        var layout = Layout(topic);
        if (layout is null || partition < 0 || partition >= layout.Writer.BucketCount) return (KafkaErrors.UnknownTopicOrPartition, -1);
        var error = ProduceDecoder.Decode(data.Span, layout, inflate, out var producer, out var rows);
        if (error != KafkaErrors.None) return (error, -1);
        if (rows is null) return (KafkaErrors.None, -1);
        if (producer.ProducerId < 0)
        {
            var offset = await WriteAsync(layout, partition, rows, null, null).ConfigureAwait(false);
            stored?.Invoke(rows.Batch.RowCount);
            return (KafkaErrors.None, offset);
        }

        var entry = Producers.Get(layout.Writer.TableId, partition, producer.ProducerId);
        ProducerStateTable.Batch batch;
        Task<long> write;
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var (verdict, original) = entry.Check(producer.Epoch, producer.BaseSequence, producer.RecordCount);
            switch (verdict)
            {
                case SequenceVerdict.Duplicate:
                    batch = original!;
                    write = null!;
                    break;
                case SequenceVerdict.OutOfOrder: return (KafkaErrors.OutOfOrderSequenceNumber, -1);
                case SequenceVerdict.StaleEpoch: return (KafkaErrors.InvalidProducerEpoch, -1);
                default:
                    Task queued;
                    (batch, write, queued) = StartIdempotentWrite(layout, partition, rows, producer, entry);
                    batch.Durable = write;
                    // The next batch of this producer may be checked as soon as this one's commit is queued (its order
                    // is then fixed); waiting for the fsync here would serialise a pipelining producer's batches.
                    await Task.WhenAny(queued, write).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            entry.Gate.Release();
        }
        if (write is null)
        {
            // A retry of a batch that may still be committing: answer once the original is durable, with its offset.
            try
            {
                await batch.Durable.ConfigureAwait(false);
            }
            catch (TarnException)
            {
                return (KafkaErrors.KafkaStorageError, -1);
            }
            return (KafkaErrors.None, batch.BaseOffset);
        }
        try
        {
            var baseOffset = await write.ConfigureAwait(false);
            stored?.Invoke(rows.Batch.RowCount);
            return (KafkaErrors.None, baseOffset);
        }
        catch
        {
            await entry.Gate.WaitAsync().ConfigureAwait(false);
            entry.Forget(batch);
            entry.Gate.Release();
            throw;
        }
    }

    /// <summary>
    /// Starts committing an idempotent producer's batch with its new state. <c>Queued</c> completes once the commit's
    /// place in the commit order is fixed: for appends to a partition when the commit is queued, for keyed and routed
    /// tables (no such signal) only once it is durable.
    /// </summary>
    private static (ProducerStateTable.Batch Batch, Task<long> Write, Task Queued) StartIdempotentWrite(KafkaTopicLayout layout, int partition,
        ProduceDecoder.Rows rows, ProducerFields producer, ProducerStateTable.Entry entry)
    {
        var (batch, state, kept) = entry.Begin(producer.Epoch, producer.BaseSequence, producer.RecordCount);
        var key = ProducerStateTable.KeyOf(layout.Writer.TableId, partition, producer.ProducerId);
        KeyValuePair<string, ReadOnlyMemory<byte>?>[] metadata = [new(key, state)];
        if (layout.IsKeyed || layout.ChoosesOwnBucket)
        {
            var durable = WriteAsync(layout, partition, rows, metadata, null);
            return (batch, durable, durable);
        }
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = layout.Writer.AppendAsync(rows.Batch, partition, metadata, offset =>
        {
            batch.BaseOffset = offset;
            ProducerStateTable.Entry.Fill(state, kept);
        }, () => queued.TrySetResult());
        return (batch, write, queued.Task);
    }

    private static async Task<long> WriteAsync(KafkaTopicLayout layout, int partition, ProduceDecoder.Rows rows,
        IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>?>>? metadata, Action<long>? beforeWrite)
    {
        if (!layout.ChoosesOwnBucket) return await layout.Writer.AppendAsync(rows.Batch, partition, metadata, beforeWrite).ConfigureAwait(false);
        // Keyed (and bucket-keyed) tables route each row to the bucket its key hashes to: the base offset is where the
        // batch's first record went, learnt from the offsets the commit starts at (and written into the producer state).
        var first = FirstRowBucket(layout, rows.Batch);
        var baseOffset = -1L;
        void Starts(IReadOnlyList<long> next)
        {
            baseOffset = next[first];
            beforeWrite?.Invoke(baseOffset);
        }
        if (layout.IsKeyed) await layout.Writer.UpsertAsync(rows.Batch, rows.Kinds!, metadata, Starts).ConfigureAwait(false);
        else await layout.Writer.AppendRoutedAsync(rows.Batch, metadata, Starts).ConfigureAwait(false);
        return baseOffset;
    }

    private static int FirstRowBucket(KafkaTopicLayout layout, ColumnBatch rows)
    {
        if (layout.Writer.BucketCount == 1) return 0;
        Span<int> bucket = stackalloc int[1];
        layout.Writer.RouteBuckets(new ColumnBatch(rows.Columns, 1), bucket);
        return bucket[0];
    }
}
