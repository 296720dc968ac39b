using Tarn.Storage.Tables;

namespace Tarn.Connectors.Formats;

/// <summary>
/// Decodes one message (a Kafka record's key or value, later one line of a file) into rows of typed columns.
/// Decoding has two phases so that a message skipped for a parse error never leaves half a row behind:
/// <see cref="Prepare"/> parses and validates the whole message without appending anything, then
/// <see cref="AppendRow"/> appends each of its rows to the column builders the decoder was created with.
/// </summary>
internal interface IRowDecoder
{
    /// <summary>True for changelog formats (debezium-json, canal-json), whose rows carry -U/+U/-D kinds.</summary>
    bool ProducesChanges { get; }

    /// <summary>
    /// Parses <paramref name="message"/> (<paramref name="isNull"/> for a Kafka tombstone). Returns the number of rows
    /// it holds (0 for messages without rows, such as tombstones or DDL events), or -1 when it is malformed and the
    /// format ignores parse errors. Throws <see cref="RowDecodeException"/> when it is malformed otherwise.
    /// </summary>
    int Prepare(ReadOnlySpan<byte> message, bool isNull);

    /// <summary>
    /// Appends row <paramref name="row"/> of the message last given to <see cref="Prepare"/> (the same bytes again)
    /// and returns its kind. A value that does not fit its column is NULL when parse errors are ignored, otherwise a
    /// <see cref="RowDecodeException"/>.
    /// </summary>
    RowKind AppendRow(ReadOnlySpan<byte> message, int row);
}

/// <summary>A message a format cannot decode; the reader adds where the message came from.</summary>
internal sealed class RowDecodeException(string message) : Exception(message);
