using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>
/// The Data Protection key ring in the database: shared by instances, and with <c>DataProtection:CertificateFile</c>
/// encrypted at rest, so that a copy of the database does not open the webhook secrets.
/// </summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _certificateFile = Path.Combine(Path.GetTempPath(), $"keyring-{Guid.NewGuid():N}.pfx");

    public void Dispose() => File.Delete(_certificateFile);

    [Fact]
    public void WithoutCertificate_AnotherInstanceReadsWhatOneProtected()
    {
        using var first = new FinanceChainApp();
        var stored = first.Services.GetRequiredService<WebhookSecrets>().Protect("whsec_test");

        using var second = first.Another();
        Assert.Equal("whsec_test", second.Services.GetRequiredService<WebhookSecrets>().Unprotect(stored));
    }

    [Fact]
    public void WithCertificate_KeysAreEncryptedAtRest_AndOnlyInstancesWithTheCertificateReadThem()
    {
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=FinanceChain key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllBytes(_certificateFile, certificate.Export(X509ContentType.Pkcs12, "s3cret"));
        }

        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificateFile"] = _certificateFile,
            ["DataProtection:CertificatePassword"] = "s3cret",
        };
        using var first = new FinanceChainApp(settings: settings);
        var stored = first.Services.GetRequiredService<WebhookSecrets>().Protect("whsec_test");

        using (var connection = new SqliteConnection($"Data Source={first.DatabaseFile}"))
        {
            var keys = connection.Query<string>("SELECT xml FROM data_protection_keys").ToList();
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("encryptedSecret", xml);
                Assert.DoesNotContain("<value>", xml);
            });
        }

        using var withCertificate = first.Another(settings: settings);
        Assert.Equal("whsec_test", withCertificate.Services.GetRequiredService<WebhookSecrets>().Unprotect(stored));

        using var withoutCertificate = first.Another();
        Assert.ThrowsAny<CryptographicException>(() => withoutCertificate.Services.GetRequiredService<WebhookSecrets>().Unprotect(stored));
    }
}
