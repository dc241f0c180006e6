using System.Reflection;
using Dapper;
using DbUp;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Database;

/// <summary>
/// Brings the schema up to date with DbUp from the scripts of the configured provider. Several instances may
/// start at once: the migration runs under a lock that only one holds at a time (on SQL Server an application
/// lock, <c>sp_getapplock</c>; on SQLite an exclusive lock on a file beside the database), so the others wait and
/// then find nothing left to do. On SQL Server the database must also have <c>READ_COMMITTED_SNAPSHOT</c> on
/// (checked here, before anything runs, with a message that says how to fix it). A database that cannot be
/// reached yet (a server still starting) is tried again with growing pauses for
/// <see cref="DatabaseOptions.StartupRetrySeconds"/>; a failing script is not retried.
/// </summary>
public sealed class Migrator(Db db, IOptions<DatabaseOptions> options, ILogger<Migrator> logger)
{
    /// <summary>The name of the lock (<see cref="DistributedLock"/>) every instance takes to migrate.</summary>
    public const string LockName = "migrations";

    internal const string ReadCommittedSnapshotSql = "SELECT name, is_read_committed_snapshot_on AS IsOn FROM sys.databases WHERE database_id = DB_ID()";

    public void Migrate()
    {
        var provider = db.Dialect.Provider;
        var prefix = provider + ".";
        using var migrationLock = db.Dialect == SqlDialect.Sqlite ? AcquireSqliteLock() : AcquireSqlServerLock();
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

    /// <summary>
    /// The message for a SQL Server database without <c>READ_COMMITTED_SNAPSHOT</c>: what is wrong, why it matters
    /// and the statement that fixes it.
    /// </summary>
    public static string ReadCommittedSnapshotMissing(string database) =>
        $"The SQL Server database '{database}' has READ_COMMITTED_SNAPSHOT OFF. FinanceChain requires it ON: under locking READ COMMITTED " +
        "every matching read waits behind product writes and concurrent changes can deadlock. Run once, as a login allowed to alter the database " +
        $"(no other sessions may be using it): ALTER DATABASE [{database.Replace("]", "]]", StringComparison.Ordinal)}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE; " +
        "See docs/production.md.";

    private IDisposable AcquireSqlServerLock()
    {
        var connection = OpenWithRetry();
        try
        {
            var rcsi = connection.QuerySingle<(string Name, bool IsOn)>(ReadCommittedSnapshotSql);
            if (!rcsi.IsOn)
            {
                throw new InvalidOperationException(ReadCommittedSnapshotMissing(rcsi.Name));
            }

            DistributedLock.TakeAsync(connection, LockName, TimeSpan.FromSeconds(options.Value.MigrationLockTimeoutSeconds), CancellationToken.None).GetAwaiter().GetResult();
            return new SqlServerLock(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection to SQL Server, trying again with growing pauses while the server cannot be reached.</summary>
    private SqlConnection OpenWithRetry()
    {
        // A wait, not business time: measured on the monotonic clock (see DistributedLock.LockFileAsync).
        var limit = TimeSpan.FromSeconds(options.Value.StartupRetrySeconds);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            var connection = new SqlConnection(db.ConnectionString);
            try
            {
                connection.Open();
                return connection;
            }
            catch (SqlException e) when (waited.Elapsed + pause < limit)
            {
                connection.Dispose();
                logger.LogWarning("SQL Server not reachable yet (attempt {Attempt}, error {Number}: {Message}); trying again in {Pause} s.", attempt, e.Number, e.Message, pause.TotalSeconds);
                Thread.Sleep(pause);
                pause = TimeSpan.FromSeconds(Math.Min(pause.TotalSeconds * 2, 15));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private IDisposable AcquireSqliteLock()
    {
        // A lock file of its own, not the database's lock: DbUp's own connections must still write.
        var held = DistributedLock.LockFileAsync(DistributedLock.LockFilePath(db, LockName), TimeSpan.FromSeconds(options.Value.MigrationLockTimeoutSeconds), CancellationToken.None)
            .GetAwaiter().GetResult();
        return new Held(held);
    }

    private sealed class Held(IAsyncDisposable held) : IDisposable
    {
        public void Dispose() => held.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private sealed class SqlServerLock(SqlConnection connection) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                connection.Execute(DistributedLock.ReleaseSql, new { Resource = DistributedLock.Resource(LockName) });
            }
            finally
            {
                // Closing the session would release the lock anyway.
                connection.Dispose();
            }
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
