using System.Data.Common;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Dapper;
using FinanceChain.Api.Database;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace FinanceChain.Api.Webhooks;

/// <summary>
/// ASP.NET Core Data Protection for the whole service. Every instance must read what another protected, also after a
/// restart, so the application name is fixed and the key ring is kept in the service's own database (table
/// <c>data_protection_keys</c>), which needs no configuration on SQLite or SQL Server. <c>DataProtection:KeyDirectory</c>
/// keeps it in a folder instead (shared by every instance, e.g. a mounted secret volume), away from the data it protects;
/// <c>DataProtection:CertificateFile</c> (a PKCS#12 file, with <c>DataProtection:CertificatePassword</c>) encrypts the
/// keys at rest wherever they are kept.
/// </summary>
public static class KeyRing
{
    public const string ApplicationName = "FinanceChain";
    public const string DirectoryKey = "DataProtection:KeyDirectory";
    public const string CertificateFileKey = "DataProtection:CertificateFile";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        var directory = configuration[DirectoryKey];
        if (!string.IsNullOrWhiteSpace(directory))
        {
            builder.PersistKeysToFileSystem(new DirectoryInfo(directory));
        }
        else
        {
            services.AddOptions<KeyManagementOptions>().Configure<Db, IClock>((o, db, clock) => o.XmlRepository = new DatabaseXmlRepository(db, clock));
        }

        var certificateFile = configuration[CertificateFileKey];
        if (!string.IsNullOrWhiteSpace(certificateFile))
        {
            // Keys at rest encrypted to this certificate: a copy of the key ring (or of the database holding it) is
            // then of no use without the certificate's private key. It also serves to decrypt them.
            builder.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(certificateFile, configuration[CertificatePasswordKey]));
        }

        return services;
    }
}

/// <summary>The Data Protection key ring in the <c>data_protection_keys</c> table.</summary>
/// <remarks>Data Protection calls these synchronously and rarely (at start, then about once a day, and when it makes a key).</remarks>
internal sealed class DatabaseXmlRepository(Db db, IClock clock) : IXmlRepository
{
    internal const string SelectKeysSql = "SELECT xml FROM data_protection_keys ORDER BY id";
    internal const string InsertKeySql = "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @CreatedAt)";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        return connection.Query<string>(SelectKeysSql).Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = Open();
        try
        {
            connection.Execute(InsertKeySql, new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = clock.GetCurrentInstant() });
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            // The same element stored twice (names are key ids): the first copy is as good.
        }
    }

    private DbConnection Open()
    {
        DbConnection connection = db.Dialect == SqlDialect.Sqlite ? new SqliteConnection(db.ConnectionString) : new SqlConnection(db.ConnectionString);
        connection.Open();
        return connection;
    }
}

/// <summary>Protects webhook secrets for storage, and reads them back for signing.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("FinanceChain.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
