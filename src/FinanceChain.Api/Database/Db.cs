using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace FinanceChain.Api.Database;

/// <summary>
/// Opens connections to the configured database and runs portable SQL through the dialect seam.
/// Every multi-row change goes through <see cref="InTransactionAsync{T}"/>.
/// </summary>
public sealed class Db
{
    private readonly string _connectionString;
    private readonly string? _sqlitePragmas;

    // One writer at a time per process on SQLite: writers queue here, in order, instead of spinning in
    // SQLite's busy handler. Other processes on the same file still wait through the busy timeout.
    private readonly SemaphoreSlim _sqliteWriteGate = new(1, 1);

    public Db(IConfiguration configuration, IOptions<DatabaseOptions> options)
    {
        Dialect = SqlDialect.For(options.Value.Provider);
        var synchronous = options.Value.SqliteSynchronous.ToUpperInvariant();
        if (synchronous is not ("OFF" or "NORMAL" or "FULL" or "EXTRA"))
        {
            throw new InvalidOperationException("Database:SqliteSynchronous must be NORMAL, FULL or EXTRA.");
        }

        _sqlitePragmas = $"PRAGMA synchronous={synchronous};";
        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        _connectionString = Dialect == SqlDialect.Sqlite
            ? SqliteConnectionString(configured, options.Value.SqliteBusyTimeoutMs)
            : configured ?? throw new InvalidOperationException("ConnectionStrings:FinanceChain is required for SQL Server.");
    }

    public SqlDialect Dialect { get; }

    public string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Dialect == SqlDialect.Sqlite
            ? new SqliteConnection(_connectionString)
            : new SqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public string Sql(string portableSql) => Dialect.Render(portableSql);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. On SQLite the transaction is
    /// IMMEDIATE, so that concurrent writers (also in other processes) queue instead of failing late. A
    /// transaction that loses to contention (deadlock victim, busy database) rolls back and runs again, a
    /// few times; <paramref name="work"/> must therefore only touch the database.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var gated = Dialect == SqlDialect.Sqlite;
            if (gated)
            {
                await _sqliteWriteGate.WaitAsync(cancellationToken);
            }

            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                if (gated)
                {
                    // synchronous only matters to commits, so reads skip this round trip.
                    await using var pragma = connection.CreateCommand();
                    pragma.CommandText = _sqlitePragmas;
                    await pragma.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var transaction = await connection.BeginTransactionAsync(Dialect.WriteIsolation, cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (DbException e) when (attempt < MaxAttempts && Dialect.IsTransient(e))
            {
                ReleaseGate(gated);
                gated = false;
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 4)), cancellationToken);
            }
            finally
            {
                ReleaseGate(gated);
            }
        }
    }

    private const int MaxAttempts = 3;

    private void ReleaseGate(bool gated)
    {
        if (gated)
        {
            _sqliteWriteGate.Release();
        }
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string portableSql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(Sql(portableSql), parameters, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string portableSql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(Sql(portableSql), parameters, cancellationToken: cancellationToken));
    }

    private static string SqliteConnectionString(string? configured, int busyTimeoutMs)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? DatabaseOptions.DefaultSqliteConnectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout runs out.
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        };
        var dataSource = builder.DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && !dataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        return builder.ToString();
    }
}
