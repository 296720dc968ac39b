using System.Buffers.Binary;
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
    /// record as the rows, with the base offset filled in by the committer just before the record is written.
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
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var (verdict, original) = entry.Check(producer.Epoch, producer.BaseSequence, producer.RecordCount);
            switch (verdict)
            {
                case SequenceVerdict.Duplicate: return (KafkaErrors.None, original);
                case SequenceVerdict.OutOfOrder: return (KafkaErrors.OutOfOrderSequenceNumber, -1);
                case SequenceVerdict.StaleEpoch: return (KafkaErrors.InvalidProducerEpoch, -1);
            }
            var state = entry.EncodeWith(producer.Epoch, producer.BaseSequence, producer.RecordCount, -1);
            var key = ProducerStateTable.KeyOf(layout.Writer.TableId, partition, producer.ProducerId);
            var baseOffset = await WriteAsync(layout, partition, rows, [new(key, state)],
                offset => BinaryPrimitives.WriteInt64BigEndian(state.AsSpan(state.Length - 8), offset)).ConfigureAwait(false);
            entry.Apply(state);
            stored?.Invoke(rows.Batch.RowCount);
            return (KafkaErrors.None, baseOffset);
        }
        finally
        {
            entry.Gate.Release();
        }
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
