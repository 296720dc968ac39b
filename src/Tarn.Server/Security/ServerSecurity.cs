using System.Net;
using System.Security.Cryptography.X509Certificates;
using Tarn.Server.Hosting;

namespace Tarn.Server.Security;

/// <summary>Security decisions shared by the listeners: the TLS certificate, and who may listen where.</summary>
public static class ServerSecurity
{
    /// <summary>The PEM certificate and key of <see cref="ServerOptions"/>, or null when TLS is not configured.</summary>
    public static X509Certificate2? LoadTlsCertificate(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TlsCertificatePath is null && options.TlsKeyPath is null) return null;
        if (options.TlsCertificatePath is null || options.TlsKeyPath is null)
            throw new InvalidOperationException("TLS needs both TlsCertificatePath and TlsKeyPath (PEM files)");
        return X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
    }

    /// <summary>
    /// Refuses to listen beyond loopback while the database has no user: without users every client is trusted, which
    /// is only safe when nobody else can connect.
    /// </summary>
    public static void CheckListenAddress(TarnDatabase database, IPEndPoint endpoint, string protocol)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (IPAddress.IsLoopback(endpoint.Address) || database.HasUsers) return;
        throw new InvalidOperationException(
            $"refusing to start the {protocol} listener on {endpoint}: the database has no users, so every client would be trusted. " +
            "Create one first (for example run `CREATE USER admin PASSWORD '...' SUPERUSER` over a loopback connection or the console), or listen on 127.0.0.1.");
    }
}
