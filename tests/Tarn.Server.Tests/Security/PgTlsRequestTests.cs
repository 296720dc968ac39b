using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Tarn.Server.Hosting;
using Tarn.Server.Tests.PgWire;

namespace Tarn.Server.Tests.Security;

/// <summary>
/// The endpoint reads ahead (a whole pipeline per socket read), so bytes a client sends after an SSLRequest, before
/// the TLS handshake, reach its buffer unencrypted: they are refused (08P01) rather than taken as the first messages
/// of the encrypted session, as PostgreSQL does since CVE-2021-23214.
/// </summary>
public sealed class PgTlsRequestTests
{
    [Fact]
    public async Task BytesAfterAnSslRequestAreRefused()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tarn-pgtls-" + Guid.NewGuid().ToString("N"));
        using var certificate = new TestCertificate();
        await using (var server = new TarnServer(TarnDatabase.Open(directory), new ServerOptions { TlsCertificatePath = certificate.CertificatePath, TlsKeyPath = certificate.KeyPath }))
        {
            var port = server.StartPgWire(new IPEndPoint(IPAddress.Loopback, 0)).EndPoint.Port;
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            var sslRequest = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(sslRequest, 8);
            BinaryPrimitives.WriteInt32BigEndian(sslRequest.AsSpan(4), 80877103);
            await stream.WriteAsync((byte[])[.. sslRequest, .. PgWireClient.StartupMessage()]); // one write: the server reads both at once

            var answer = new byte[1];
            await stream.ReadExactlyAsync(answer);
            Assert.Equal((byte)'E', answer[0]);
            var rest = new MemoryStream();
            await stream.CopyToAsync(rest); // then the server closes the connection
            Assert.Contains("08P01", System.Text.Encoding.UTF8.GetString(rest.ToArray()), StringComparison.Ordinal);
        }
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
    }
}
