namespace Tarn.Server.PgWire;

/// <summary>
/// A parsed <c>COPY</c>: a table (with an optional column list) or a parenthesized query, the direction, and the
/// format options with PostgreSQL's defaults already applied (text: tab and <c>\N</c>; csv: comma, empty NULL, <c>"</c>).
/// </summary>
internal sealed record PgCopyCommand
{
    /// <summary>The table's name parts (schema-qualified names keep both), or empty for <c>COPY (query)</c>.</summary>
    public IReadOnlyList<string> TableName { get; init; } = [];

    /// <summary>The columns named after the table, or null for all of them.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The query of <c>COPY (query) TO STDOUT</c>.</summary>
    public string? Query { get; init; }

    /// <summary>True for FROM STDIN, false for TO STDOUT.</summary>
    public bool IsFrom { get; init; }

    public PgCopyFormat Format { get; init; }

    public byte Delimiter { get; init; }

    /// <summary>The NULL marker as UTF-8 bytes (compared with a field's raw bytes, before de-escaping, as PostgreSQL does).</summary>
    public byte[] Null { get; init; } = [];

    public bool Header { get; init; }

    public byte Quote { get; init; } = (byte)'"';

    public byte Escape { get; init; } = (byte)'"';

    /// <summary>CSV output: columns always quoted (FORCE_QUOTE); null = none, empty = all (<c>*</c>).</summary>
    public IReadOnlyList<string>? ForceQuote { get; init; }

    /// <summary>The table name as a dotted path the facade resolves in the session.</summary>
    public string TablePath => string.Join('.', TableName);
}
