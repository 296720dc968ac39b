namespace Tarn.Internal;

/// <summary>
/// What CURRENT_SETTING returns for an option the session has not set. Options are free-form (SET accepts any key),
/// so only options with a known meaning have a default; any other unset name is an error (42704), as in PostgreSQL.
/// </summary>
internal static class SessionSettingDefaults
{
    private static readonly Dictionary<string, string> s_defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["execution.runtime-mode"] = "batch",
        ["table.local-time-zone"] = "UTC",
        ["default_null_order"] = "nulls_first_on_asc_last_on_desc",
        ["order_by_non_integer_literal"] = "false",
        // DuckDB: UPDATE may rewrite rows as delete + insert; Tarn's UPDATE result does not depend on it.
        ["force_update_to_del_and_insert"] = "false",
        ["disabled_optimizers"] = "",
    };

    public static string? Find(string name) => s_defaults.GetValueOrDefault(name);
}
