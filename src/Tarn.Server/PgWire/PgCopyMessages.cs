namespace Tarn.Server.PgWire;

/// <summary>The backend messages of the COPY sub-protocol.</summary>
internal static class PgCopyMessages
{
    /// <summary>CopyInResponse ('G') or CopyOutResponse ('H'): overall format, then one format code per column.</summary>
    public static void CopyResponse(PgMessageWriter w, byte type, bool binary, int columns)
    {
        w.Begin(type);
        w.WriteByte(binary ? (byte)1 : (byte)0);
        w.WriteInt16((short)columns);
        for (var i = 0; i < columns; i++) w.WriteInt16(binary ? (short)1 : (short)0);
        w.End();
    }

    public static void CopyDone(PgMessageWriter w)
    {
        w.Begin((byte)'c');
        w.End();
    }
}
