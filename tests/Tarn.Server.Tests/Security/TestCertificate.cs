using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tarn.Server.Tests.Security;

/// <summary>A self-signed certificate for 127.0.0.1/localhost written as PEM files into a temporary directory.</summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate()
    {
        Directory.CreateDirectory(DirectoryPath);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "tarn-cert-" + Guid.NewGuid().ToString("N"));
    public string CertificatePath => Path.Combine(DirectoryPath, "server.crt");
    public string KeyPath => Path.Combine(DirectoryPath, "server.key");

    public void Dispose()
    {
        try { Directory.Delete(DirectoryPath, recursive: true); }
        catch (IOException) { }
    }
}
