using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
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

    // What OpenAsync connects with: on SQLite the same file without Foreign Keys=True, whose PRAGMA would run at
    // every open of a pooled connection; OpenAsync sets the per-connection pragmas once per physical connection
    // instead. A pool of its own, so that ConnectionString's other users still get foreign keys from the string.
    private readonly string _openString;
    private readonly string? _sqlitePragmas;

    // The physical SQLite connections (their native handles) that already run with _sqlitePragmas.
    private readonly ConditionalWeakTable<object, object> _prepared = new();
    private static readonly object Prepared = new();

    // One writer at a time per process on SQLite: writers queue here, in order, instead of spinning in
    // SQLite's busy handler, and those queued behind a write transaction join it (group commit). Other
    // processes on the same file still wait through the busy timeout.
    private readonly WriteGate _sqliteWriteGate = new();
    private readonly int _groupCommitMaxWrites;
    private readonly TimeSpan _groupCommitWindow;

    public Db(IConfiguration configuration, IOptions<DatabaseOptions> options)
    {
        Dialect = SqlDialect.For(options.Value.Provider);
        var synchronous = options.Value.SqliteSynchronous.ToUpperInvariant();
        if (synchronous is not ("OFF" or "NORMAL" or "FULL" or "EXTRA"))
        {
            throw new InvalidOperationException("Database:SqliteSynchronous must be NORMAL, FULL or EXTRA.");
        }

        _sqlitePragmas = $"PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous};";
        _groupCommitMaxWrites = Math.Max(1, options.Value.SqliteGroupCommitMaxWrites);
        _groupCommitWindow = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.SqliteGroupCommitWindowMs));
        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        _connectionString = Dialect == SqlDialect.Sqlite
            ? SqliteConnectionString(configured, options.Value.SqliteBusyTimeoutMs)
            : configured ?? throw new InvalidOperationException("ConnectionStrings:FinanceChain is required for SQL Server.");
        _openString = Dialect == SqlDialect.Sqlite
            ? new SqliteConnectionStringBuilder(_connectionString) { ForeignKeys = null }.ToString()
            : _connectionString;
    }

    public SqlDialect Dialect { get; }

    public string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Dialect != SqlDialect.Sqlite)
        {
            var server = new SqlConnection(_connectionString);
            await server.OpenAsync(cancellationToken);
            return server;
        }

        var connection = new SqliteConnection(_openString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Both pragmas last as long as the physical connection, which the pool keeps across opens.
            if (!_prepared.TryGetValue(connection.Handle!, out _))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = _sqlitePragmas;
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                _prepared.AddOrUpdate(connection.Handle!, Prepared);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

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
    /// <para>Inside a <see cref="SharedTransaction"/> (<see cref="BeginShared"/>) the work joins that transaction
    /// instead and nothing is committed here: its owner commits everything at once, or nothing.</para>
    /// <para>On SQLite, works queued behind a running one share its transaction (group commit, up to
    /// <see cref="DatabaseOptions.SqliteGroupCommitMaxWrites"/> of them, within
    /// <see cref="DatabaseOptions.SqliteGroupCommitWindowMs"/>): each
    /// runs in its own savepoint, so a failing one rolls back alone and gets its own exception; one COMMIT ends the
    /// group, and only then does each return (and run what it asked with <see cref="WhenCommitted"/>). A failed
    /// commit fails them all.</para>
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
                if (Dialect == SqlDialect.Sqlite)
                {
                    result = await InGroupAsync(work, cancellationToken);
                }
                else
                {
                    write = await BeginWriteAsync(cancellationToken);
                    result = await work(write.Connection, write.Transaction);
                    await write.Transaction.CommitAsync(cancellationToken);
                }
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

    /// <summary>How many writers wait at the SQLite write gate (for tests that need a group to form).</summary>
    internal int QueuedWriters => _sqliteWriteGate.Queued;

    /// <summary>
    /// Runs <paramref name="work"/> as one member of a commit group: the first member begins the transaction, each
    /// later one runs in a savepoint of it, and the last one commits; every member returns once that commit is known.
    /// </summary>
    private async Task<T> InGroupAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var group = await _sqliteWriteGate.EnterAsync(joinable: true, cancellationToken);
        T result;
        if (group is null)
        {
            // The gate is ours: begin a group. Its first work needs no savepoint: nothing else is in it yet.
            var write = await OpenWriteAsync(_sqliteWriteGate, cancellationToken);
            group = new CommitGroup(write);
            try
            {
                result = await work(write.Connection, write.Transaction);
            }
            catch
            {
                await write.DisposeAsync();
                throw;
            }
        }
        else
        {
            var savepoint = group.NextSavepoint();
            var transaction = group.Write.Transaction;
            try
            {
                await transaction.SaveAsync(savepoint, CancellationToken.None);
                result = await work(group.Write.Connection, transaction);
            }
            catch
            {
                try
                {
                    await transaction.RollbackAsync(savepoint, CancellationToken.None);
                }
                catch (Exception rollback)
                {
                    // The transaction itself is gone (SQLite rolls back all of it on some errors): nothing may commit.
                    group.Break(rollback);
                }

                await EndTurnAsync(group);
                throw;
            }
        }

        await EndTurnAsync(group);
        await group.Committed;
        return result;
    }

    /// <summary>After a member's work: hands the open transaction to the next queued writer, or commits it for everyone.</summary>
    private async Task EndTurnAsync(CommitGroup group)
    {
        if (!group.Broken && _sqliteWriteGate.TryHandOn(group, _groupCommitMaxWrites, _groupCommitWindow))
        {
            return;
        }

        try
        {
            group.ThrowIfBroken();
            // Not the caller's token: the others' writes are in this commit too.
            await group.Write.Transaction.CommitAsync(CancellationToken.None);
            group.Succeed();
        }
        catch (Exception e)
        {
            group.Fail(e);
        }
        finally
        {
            // Releases the gate too, to the next writer in the queue.
            await group.Write.DisposeAsync();
        }
    }

    // Set by BeginShared in the caller's flow; an asynchronous method cannot unset it for its caller, so a
    // disposed one simply stops counting.
    private readonly AsyncLocal<SharedTransaction?> _shared = new();

    // Set by InTransactionAsync for the work it runs (the work's flow inherits it; the caller's is restored on return).
    private readonly AsyncLocal<List<Action>?> _committing = new();

    private SharedTransaction? ActiveShared => _shared.Value is { IsDone: false } shared ? shared : null;

    /// <summary>
    /// Opens a connection and begins a write transaction on it, on SQLite behind the writers' gate and alone there
    /// (a shared transaction lasts a whole request, so nothing joins it).
    /// </summary>
    private async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (Dialect != SqlDialect.Sqlite)
        {
            return await OpenWriteAsync(null, cancellationToken);
        }

        await _sqliteWriteGate.EnterAsync(joinable: false, cancellationToken);
        return await OpenWriteAsync(_sqliteWriteGate, cancellationToken);
    }

    /// <summary>Opens a connection and begins a write transaction; <paramref name="gate"/>, held by the caller, is released with it (or at once on failure).</summary>
    private async Task<WriteTransaction> OpenWriteAsync(WriteGate? gate, CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(Dialect.WriteIsolation, cancellationToken);
            return new WriteTransaction(connection, transaction, gate);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            gate?.Release();
            throw;
        }
    }

    /// <summary>
    /// The SQLite writers' queue of this process, in arrival order. Whoever holds it either starts a
    /// <see cref="CommitGroup"/> or runs alone (a shared transaction); a group's member that ends its turn hands the
    /// open group to the next waiter if it may join, and the gate passes on when the group (or the lone writer) ends.
    /// </summary>
    private sealed class WriteGate
    {
        private readonly Lock _lock = new();
        private readonly LinkedList<Waiter> _waiters = [];
        private bool _held;

        private sealed class Waiter(bool joinable)
        {
            public bool Joinable { get; } = joinable;

            public TaskCompletionSource<CommitGroup?> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public CancellationTokenRegistration Registration { get; set; }
        }

        public int Queued
        {
            get
            {
                lock (_lock)
                {
                    return _waiters.Count;
                }
            }
        }

        /// <summary>Waits for a turn: null when the gate is the caller's alone, else the open group to join.</summary>
        public Task<CommitGroup?> EnterAsync(bool joinable, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Waiter waiter;
            LinkedListNode<Waiter> node;
            lock (_lock)
            {
                if (!_held)
                {
                    _held = true;
                    return Task.FromResult<CommitGroup?>(null);
                }

                waiter = new Waiter(joinable);
                node = _waiters.AddLast(waiter);
            }

            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(() =>
                {
                    lock (_lock)
                    {
                        if (node.List is null)
                        {
                            return; // already given its turn
                        }

                        _waiters.Remove(node);
                    }

                    waiter.Turn.TrySetCanceled(cancellationToken);
                });
            }

            return waiter.Turn.Task;
        }

        /// <summary>Gives <paramref name="group"/> to the next waiter if it may join and the group may grow; true when it did.</summary>
        public bool TryHandOn(CommitGroup group, int maxWrites, TimeSpan window)
        {
            lock (_lock)
            {
                if (_waiters.First is not { } first || !first.Value.Joinable || group.Members >= maxWrites || group.Age >= window)
                {
                    return false;
                }

                _waiters.RemoveFirst();
                first.Value.Registration.Unregister();
                group.Members++;
                first.Value.Turn.SetResult(group);
                return true;
            }
        }

        /// <summary>Passes the gate to the next waiter (to begin anew), or frees it.</summary>
        public void Release()
        {
            lock (_lock)
            {
                if (_waiters.First is { } first)
                {
                    _waiters.RemoveFirst();
                    first.Value.Registration.Unregister();
                    first.Value.Turn.SetResult(null);
                }
                else
                {
                    _held = false;
                }
            }
        }
    }

    /// <summary>One SQLite write transaction shared by queued writers, and the outcome of its one commit.</summary>
    private sealed class CommitGroup(WriteTransaction write)
    {
        private readonly long _began = Stopwatch.GetTimestamp();
        private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? _brokenBy;
        private int _savepoints;

        public WriteTransaction Write { get; } = write;

        /// <summary>Works that ran or run in it, the first included (changed under the gate's lock only).</summary>
        public int Members { get; set; } = 1;

        public TimeSpan Age => Stopwatch.GetElapsedTime(_began);

        public bool Broken => _brokenBy is not null;

        /// <summary>Completes when the group committed; throws what failed it otherwise.</summary>
        public Task Committed => _committed.Task;

        public string NextSavepoint() => $"w{++_savepoints}";

        public void Break(Exception cause) => _brokenBy ??= cause;

        public void ThrowIfBroken()
        {
            if (_brokenBy is { } cause)
            {
                ExceptionDispatchInfo.Throw(cause);
            }
        }

        public void Succeed() => _committed.TrySetResult();

        public void Fail(Exception cause) => _committed.TrySetException(cause);
    }

    /// <summary>A write transaction, its connection and the gate it holds; disposing rolls back what was not committed.</summary>
    private sealed class WriteTransaction(DbConnection connection, DbTransaction transaction, WriteGate? gate) : IAsyncDisposable
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
