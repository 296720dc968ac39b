using System.Reflection;

namespace Tarn.Console;

internal static class AppVersion
{
    /// <summary>The informational version without the source-revision suffix ("1.0.0", not "1.0.0+abc123").</summary>
    public static string Text
    {
        get
        {
            var assembly = typeof(AppVersion).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString()
                ?? "0.0.0";
            var plus = version.IndexOf('+');
            return plus < 0 ? version : version[..plus];
        }
    }
}
