using Tarn.Types;

namespace Tarn.Server.PgWire;

/// <summary>The backend messages the server sends, one method each (see the PostgreSQL protocol's message formats).</summary>
internal static class PgBackendMessages
{
    public static void AuthenticationOk(PgMessageWriter w) { w.Begin((byte)'R'); w.WriteInt32(0); w.End(); }

    public static void ParameterStatus(PgMessageWriter w, string name, string value)
    {
        w.Begin((byte)'S'); w.WriteCString(name); w.WriteCString(value); w.End();
    }

    public static void BackendKeyData(PgMessageWriter w, int processId, int secret)
    {
        w.Begin((byte)'K'); w.WriteInt32(processId); w.WriteInt32(secret); w.End();
    }

    public static void ReadyForQuery(PgMessageWriter w, byte status) { w.Begin((byte)'Z'); w.WriteByte(status); w.End(); }

    public static void CommandComplete(PgMessageWriter w, string tag) { w.Begin((byte)'C'); w.WriteCString(tag); w.End(); }

    public static void EmptyQueryResponse(PgMessageWriter w) { w.Begin((byte)'I'); w.End(); }

    public static void ParseComplete(PgMessageWriter w) { w.Begin((byte)'1'); w.End(); }

    public static void BindComplete(PgMessageWriter w) { w.Begin((byte)'2'); w.End(); }

    public static void CloseComplete(PgMessageWriter w) { w.Begin((byte)'3'); w.End(); }

    public static void NoData(PgMessageWriter w) { w.Begin((byte)'n'); w.End(); }

    public static void ParameterDescription(PgMessageWriter w, int[] oids)
    {
        w.Begin((byte)'t');
        w.WriteInt16((short)oids.Length);
        foreach (var oid in oids) w.WriteInt32(oid);
        w.End();
    }

    /// <summary>RowDescription; <paramref name="formats"/> per column (0 text, 1 binary), null = all text.</summary>
    public static void RowDescription(PgMessageWriter w, IReadOnlyList<TarnColumn> columns, short[]? formats)
    {
        w.Begin((byte)'T');
        w.WriteInt16((short)columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var oid = PgTypeOids.For(columns[i].Type);
            w.WriteCString(columns[i].Name);
            w.WriteInt32(0);
            w.WriteInt16(0);
            w.WriteInt32(oid);
            w.WriteInt16(PgTypeOids.Length(oid));
            w.WriteInt32(TypeModifier(columns[i].Type, oid));
            w.WriteInt16(formats is null ? (short)0 : formats[i]);
        }
        w.End();
    }

    /// <summary>RowDescription and one DataRow for a function returning void (its text output is empty).</summary>
    public static void VoidRow(PgMessageWriter w, string function)
    {
        w.Begin((byte)'T');
        w.WriteInt16(1);
        w.WriteCString(function);
        w.WriteInt32(0);
        w.WriteInt16(0);
        w.WriteInt32(2278); // void
        w.WriteInt16(4);
        w.WriteInt32(-1);
        w.WriteInt16(0);
        w.End();
        w.Begin((byte)'D');
        w.WriteInt16(1);
        w.WriteInt32(0);
        w.End();
    }

    private static int TypeModifier(DataType type, int oid) => oid switch
    {
        PgTypeOids.Varchar or PgTypeOids.BpChar when type.Length > 0 => type.Length + 4,
        PgTypeOids.Numeric when type.Precision > 0 => ((type.Precision << 16) | type.Scale) + 4,
        _ => -1,
    };

    /// <summary>ErrorResponse with severity, SQLSTATE, message, (1-based character) position and PostgreSQL routine name when known.</summary>
    public static void ErrorResponse(PgMessageWriter w, string severity, string sqlState, string message, int position = 0, string? routine = null)
    {
        w.Begin((byte)'E');
        w.WriteByte((byte)'S'); w.WriteCString(severity);
        w.WriteByte((byte)'V'); w.WriteCString(severity);
        w.WriteByte((byte)'C'); w.WriteCString(sqlState);
        w.WriteByte((byte)'M'); w.WriteCString(message);
        if (position > 0) { w.WriteByte((byte)'P'); w.WriteCString(position.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (routine is not null) { w.WriteByte((byte)'R'); w.WriteCString(routine); }
        w.WriteByte(0);
        w.End();
    }
}
