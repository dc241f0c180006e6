using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Database;

/// <summary>Brings the schema up to date with DbUp from the scripts of the configured provider.</summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    public void Migrate()
    {
        var provider = db.Dialect.Provider;
        var prefix = provider + ".";
        var builder = db.Dialect == SqlDialect.Sqlite
            ? DeployChanges.To.SqliteDatabase(db.ConnectionString)
            : DeployChanges.To.SqlDatabase(db.ConnectionString);

        if (db.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets several service processes read while one writes; it is a property of the file.
            using var connection = new SqliteConnection(db.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }

        var upgrader = builder
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(prefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Database migration failed at {result.ErrorScript?.Name}.", result.Error);
        }
    }

    /// <summary>The migration scripts shipped for a provider, in order (used by tests).</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts(string provider)
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(provider + ".", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (n, reader.ReadToEnd());
            })
            .ToList();
    }

    private sealed class DbUpLog(ILogger logger) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
