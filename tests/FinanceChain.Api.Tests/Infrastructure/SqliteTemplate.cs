using System.Security.Cryptography;
using System.Text;
using FinanceChain.Api.Database;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Tests.Infrastructure;

/// <summary>
/// A SQLite database migrated once per test run, copied for every app that asks for a fresh database: the same
/// schema and the same <c>SchemaVersions</c> rows a first start-up writes, so the app's own migrator still runs
/// and finds nothing to apply. Migrating took most of a test's start-up; copying a file takes a millisecond.
/// </summary>
/// <remarks>
/// The file is named by a hash of the migration scripts the service carries, so a changed or added script makes
/// a new template instead of reusing a stale one. Several test processes may build it at once: each migrates a
/// file of its own and moves it into place; the first move wins and the others use the winner's.
/// Tests of migrating itself start from an empty file (<see cref="FinanceChainApp.NewDatabaseFile"/>), never a copy.
/// </remarks>
public static class SqliteTemplate
{
    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The migrated template's path (made on first use).</summary>
    public static string File => Template.Value;

    /// <summary>Copies the migrated template to <paramref name="databaseFile"/>, which must not exist yet.</summary>
    public static void CopyTo(string databaseFile) => System.IO.File.Copy(Template.Value, databaseFile);

    private static string Create()
    {
        var directory = Path.GetDirectoryName(FinanceChainApp.NewDatabaseFile())!;
        var template = Path.Combine(directory, $"template-{ScriptsHash()}.db");
        if (System.IO.File.Exists(template))
        {
            return template;
        }

        var building = Path.Combine(directory, $"template-building-{Guid.NewGuid():N}.db");
        try
        {
            Migrate(building);
            try
            {
                System.IO.File.Move(building, template, overwrite: false);
            }
            catch (IOException) when (System.IO.File.Exists(template))
            {
                // Another test process moved its template in first: the same scripts, so the same schema.
            }
        }
        finally
        {
            foreach (var leftover in new[] { building, building + "-wal", building + "-shm" })
            {
                System.IO.File.Delete(leftover);
            }

            foreach (var lockFile in Directory.GetFiles(directory, Path.GetFileName(building) + "*"))
            {
                System.IO.File.Delete(lockFile);
            }
        }

        return template;
    }

    /// <summary>Migrates a new file with the service's own migrator and leaves it whole in one file (no WAL beside it).</summary>
    private static void Migrate(string file)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"] = $"Data Source={file}" })
            .Build();
        var options = Options.Create(new DatabaseOptions { Provider = "sqlite" });
        var db = new Db(configuration, options);
        new Migrator(db, options, NullLogger<Migrator>.Instance).Migrate();

        // Only this file's pooled connections; other tests' connections stay open.
        using (var pooled = new SqliteConnection(db.ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        // Everything written back into the main file, so that copying that one file copies the whole database.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    private static string ScriptsHash()
    {
        var text = new StringBuilder();
        foreach (var (name, sql) in Migrator.Scripts("sqlite"))
        {
            text.Append(name).Append('\0').Append(sql).Append('\0');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }
}
