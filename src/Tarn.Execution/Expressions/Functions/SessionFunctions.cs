using Tarn.Execution.Session;

namespace Tarn.Execution.Expressions.Functions;

/// <summary>Kernels of CURRENT_SETTING, NEXTVAL and CURRVAL: they call the session through <see cref="ISessionServices"/>.</summary>
public static class SessionFunctions
{
    public static void Register(Dictionary<string, FunctionLibrary.Factory> f)
    {
        f["CURRENT_SETTING"] = (c, a, ctx) => new TextRowFunction(a, c.Type, (in RowArgs x, int i, System.Buffers.ArrayBufferWriter<byte> o) =>
        {
            RowText.Write(o, Services(ctx).Setting(x.Text(0, i)));
            return true;
        });
        // Not liftable: a dictionary-encoded argument must still advance the sequence once per row.
        f["NEXTVAL"] = (c, a, ctx) => new ValueRowFunction<long>(a, c.Type, (in RowArgs x, int i, out long v) =>
        {
            v = Services(ctx).NextValue(x.Text(0, i));
            return true;
        }, liftable: false);
        f["CURRVAL"] = (c, a, ctx) => new ValueRowFunction<long>(a, c.Type, (in RowArgs x, int i, out long v) =>
        {
            v = Services(ctx).CurrentValue(x.Text(0, i));
            return true;
        }, liftable: false);
    }

    private static ISessionServices Services(ExecutionContext context) =>
        context.Session ?? throw new TarnException(SqlStates.FeatureNotSupported, "this function needs a session (it cannot run here)");
}
