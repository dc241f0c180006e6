using System.Data;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Database;

/// <summary>
/// A lock that every service instance on one database shares: on SQL Server an application lock
/// (<c>sp_getapplock</c>, owned by a connection of its own for as long as the lock is held), on SQLite an exclusive
/// lock on a file beside the database (<c>financechain.db.&lt;name&gt;.lock</c>). Either is released when disposed,
/// or when the process holding it dies.
/// </summary>
public static class DistributedLock
{
    internal const string AcquireSql = """
        DECLARE @result INT;
        EXEC @result = sp_getapplock @Resource = @Resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = @TimeoutMs;
        SELECT @result;
        """;

    internal const string ReleaseSql = "EXEC sp_releaseapplock @Resource = @Resource, @LockOwner = N'Session';";

    /// <summary>Takes the lock named <paramref name="name"/>, waiting up to <paramref name="timeout"/> (then <see cref="TimeoutException"/>).</summary>
    public static async Task<IAsyncDisposable> AcquireAsync(Db db, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Dialect == SqlDialect.Sqlite)
        {
            return await LockFileAsync(LockFilePath(db, name), timeout, cancellationToken);
        }

        var connection = new SqlConnection(db.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await TakeAsync(connection, name, timeout, cancellationToken);
            return new ApplicationLock(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the application lock <paramref name="name"/> for the session of <paramref name="connection"/> (SQL Server).</summary>
    internal static async Task TakeAsync(SqlConnection connection, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var granted = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            AcquireSql,
            new { Resource = Resource(name), TimeoutMs = (int)timeout.TotalMilliseconds },
            commandTimeout: (int)timeout.TotalSeconds + 30,
            cancellationToken: cancellationToken));
        // 0: granted at once; 1: granted after waiting; negative: timeout (-1), cancelled, deadlock victim or error.
        if (granted < 0)
        {
            throw new TimeoutException($"The lock '{Resource(name)}' was not granted within {timeout.TotalSeconds:0} s (sp_getapplock returned {granted}).");
        }
    }

    /// <summary>The file whose exclusive lock stands for <paramref name="name"/> on SQLite; null for a database without a file.</summary>
    internal static string? LockFilePath(Db db, string name)
    {
        var dataSource = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal)
            ? null
            : $"{Path.GetFullPath(dataSource)}.{name}.lock";
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (none when null), waiting up to <paramref name="timeout"/>.</summary>
    internal static async Task<IAsyncDisposable> LockFileAsync(string? path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return new FileLock(null);
        }

        // A wait, not a point in business time: measured on the monotonic clock, as the injected IClock (frozen in
        // tests) would never let it run out.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, a sharing lock on Windows.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"The lock file '{path}' was not free within {timeout.TotalSeconds:0} s.", e);
            }
        }
    }

    internal static string Resource(string name) => "FinanceChain." + name;

    private sealed class FileLock(FileStream? file) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => file?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private sealed class ApplicationLock(SqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (connection.State == ConnectionState.Open)
                {
                    await connection.ExecuteAsync(ReleaseSql, new { Resource = Resource(name) });
                }
            }
            finally
            {
                // Ending the session would release the lock anyway.
                await connection.DisposeAsync();
            }
        }
    }
}
