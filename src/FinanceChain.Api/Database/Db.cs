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
    /// <remarks>
    /// Inside a <see cref="SharedTransaction"/> (<see cref="BeginShared"/>) the work joins that transaction
    /// instead and nothing is committed here: its owner commits everything at once, or nothing.
    /// </remarks>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (ActiveShared is { } shared)
        {
            return await shared.RunAsync(work, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            WriteTransaction? write = null;
            // What the work asks to run once it committed (WhenCommitted); dropped with an attempt that rolls back.
            var afterCommit = new List<Action>();
            _committing.Value = afterCommit;
            T result;
            try
            {
                write = await BeginWriteAsync(cancellationToken);
                result = await work(write.Connection, write.Transaction);
                await write.Transaction.CommitAsync(cancellationToken);
            }
            catch (DbException e) when (attempt < MaxAttempts && Dialect.IsTransient(e))
            {
                if (write is not null)
                {
                    await write.DisposeAsync();
                    write = null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 4)), cancellationToken);
                continue;
            }
            finally
            {
                _committing.Value = null;
                if (write is not null)
                {
                    await write.DisposeAsync();
                }
            }

            // Outside the retry: the work has committed and must never run again for what follows it.
            foreach (var action in afterCommit)
            {
                action();
            }

            return result;
        }
    }

    /// <summary>
    /// Starts a transaction that every <see cref="InTransactionAsync{T}"/> and every query of this
    /// <see cref="Db"/> joins until it is disposed, in the current asynchronous flow only (an HTTP request and
    /// what it awaits). The owner commits it once, with whatever it adds itself (the idempotency record of the
    /// response): the change and what answers it commit together or not at all. It begins at its first use,
    /// so a request that reads and then refuses never holds a write lock.
    /// </summary>
    public SharedTransaction BeginShared()
    {
        if (ActiveShared is not null)
        {
            throw new InvalidOperationException("A shared transaction is already open in this flow.");
        }

        var shared = new SharedTransaction(this);
        _shared.Value = shared;
        return shared;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once what this flow changed has committed: inside the work of
    /// <see cref="InTransactionAsync{T}"/>, after its commit; inside a shared transaction, after the shared
    /// transaction's commit; never if it rolls back; and at once outside both (the caller's changes have committed).
    /// For work that must not see the change before others can (enqueuing a job that reads it).
    /// </summary>
    public void WhenCommitted(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (ActiveShared is { } shared)
        {
            shared.AfterCommit(action);
        }
        else if (_committing.Value is { } pending)
        {
            pending.Add(action);
        }
        else
        {
            action();
        }
    }

    private const int MaxAttempts = 3;

    // Set by BeginShared in the caller's flow; an asynchronous method cannot unset it for its caller, so a
    // disposed one simply stops counting.
    private readonly AsyncLocal<SharedTransaction?> _shared = new();

    // Set by InTransactionAsync for the work it runs (the work's flow inherits it; the caller's is restored on return).
    private readonly AsyncLocal<List<Action>?> _committing = new();

    private SharedTransaction? ActiveShared => _shared.Value is { IsDone: false } shared ? shared : null;

    /// <summary>Opens a connection and begins a write transaction on it (behind the SQLite writers' gate).</summary>
    private async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        // A flow that writes must not read its own change through counters read before it.
        ChangeCounters.ForgetFlowReading();
        var gated = Dialect == SqlDialect.Sqlite;
        if (gated)
        {
            await _sqliteWriteGate.WaitAsync(cancellationToken);
        }

        DbConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            if (gated)
            {
                // synchronous only matters to commits, so reads skip this round trip.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = _sqlitePragmas;
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            var transaction = await connection.BeginTransactionAsync(Dialect.WriteIsolation, cancellationToken);
            return new WriteTransaction(connection, transaction, gated ? _sqliteWriteGate : null);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (gated)
            {
                _sqliteWriteGate.Release();
            }

            throw;
        }
    }

    /// <summary>A write transaction, its connection and the gate it holds; disposing rolls back what was not committed.</summary>
    private sealed class WriteTransaction(DbConnection connection, DbTransaction transaction, SemaphoreSlim? gate) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public DbTransaction Transaction { get; } = transaction;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Transaction.DisposeAsync();
                await Connection.DisposeAsync();
            }
            finally
            {
                gate?.Release();
                ChangeCounters.ForgetFlowReading();
            }
        }
    }

    /// <summary>
    /// One transaction shared by everything a flow changes (<see cref="BeginShared"/>). Disposing it without
    /// <see cref="CommitAsync"/> rolls everything back; so does a failure of any part, which also refuses the commit.
    /// </summary>
    public sealed class SharedTransaction : IAsyncDisposable
    {
        private readonly Db _db;
        private WriteTransaction? _write;
        private readonly List<Action> _afterCommit = [];
        private bool _failed;
        private bool _done;

        internal SharedTransaction(Db db) => _db = db;

        /// <summary>True once something has begun the transaction.</summary>
        public bool Started => _write is not null;

        /// <summary>True once committed or disposed.</summary>
        public bool IsDone => _done;

        /// <summary>Runs <paramref name="work"/> in the shared transaction, beginning it if need be.</summary>
        public async Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(work);
            ObjectDisposedException.ThrowIf(_done, this);
            _write ??= await _db.BeginWriteAsync(cancellationToken);
            try
            {
                return await work(_write.Connection, _write.Transaction);
            }
            catch
            {
                // Part of the work may have run: nothing of it may commit.
                _failed = true;
                throw;
            }
        }

        internal (DbConnection Connection, DbTransaction Transaction)? Current => _write is null ? null : (_write.Connection, _write.Transaction);

        /// <summary>Commits everything done in the transaction; refused when any part of it failed.</summary>
        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            if (_failed)
            {
                throw new InvalidOperationException("A part of the shared transaction failed; it cannot be committed.");
            }

            if (_write is not null)
            {
                await _write.Transaction.CommitAsync(cancellationToken);
            }

            await DisposeAsync();
            foreach (var action in _afterCommit)
            {
                action();
            }
        }

        internal void AfterCommit(Action action) => _afterCommit.Add(action);

        public async ValueTask DisposeAsync()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (_write is not null)
            {
                await _write.DisposeAsync();
                _write = null;
            }
        }
    }

    /// <summary>Runs a query; inside a shared transaction that has begun, on it, so that it sees what the flow changed.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string portableSql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        if (ActiveShared?.Current is var (sharedConnection, sharedTransaction))
        {
            return (await sharedConnection.QueryAsync<T>(new CommandDefinition(Sql(portableSql), parameters, sharedTransaction, cancellationToken: cancellationToken))).AsList();
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(Sql(portableSql), parameters, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <inheritdoc cref="QueryAsync{T}"/>
    public async Task<T?> QuerySingleOrDefaultAsync<T>(string portableSql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        if (ActiveShared?.Current is var (sharedConnection, sharedTransaction))
        {
            return await sharedConnection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(Sql(portableSql), parameters, sharedTransaction, cancellationToken: cancellationToken));
        }

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
