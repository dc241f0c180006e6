using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Database;

/// <summary>
/// SQLite writes queued in the process share one transaction and one commit (<see cref="Db.InTransactionAsync{T}"/>):
/// each work in its own savepoint, each caller back only once the commit is known.
/// </summary>
public sealed class GroupCommitTests
{
    private const string Schema = """
        CREATE TABLE gc_rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE gc_children (id INTEGER PRIMARY KEY, row_id INTEGER NOT NULL REFERENCES gc_rows(id) DEFERRABLE INITIALLY DEFERRED);
        """;

    /// <summary>A window long enough for the tests' groups, whose first work waits for the others to queue.</summary>
    private static FinanceChainApp NewApp(string? key = null, string? value = null)
    {
        var settings = new Dictionary<string, string?> { ["Database:SqliteGroupCommitWindowMs"] = "60000" };
        if (key is not null)
        {
            settings[key] = value;
        }

        return new FinanceChainApp(settings: settings);
    }

    private static async Task<Db> DbWithSchemaAsync(FinanceChainApp app)
    {
        var db = app.Services.GetRequiredService<Db>();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(Schema);
        return db;
    }

    private static Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, string name) =>
        connection.ExecuteAsync("INSERT INTO gc_rows (name) VALUES (@Name)", new { Name = name }, transaction);

    /// <summary>Counts rows on a connection of the test's own, outside the service's pool: what another reader sees.</summary>
    private static long CountElsewhere(Db db, string? name = null)
    {
        using var connection = new SqliteConnection(db.ConnectionString);
        return name is null
            ? connection.ExecuteScalar<long>("SELECT COUNT(*) FROM gc_rows")
            : connection.ExecuteScalar<long>("SELECT COUNT(*) FROM gc_rows WHERE name = @Name", new { Name = name });
    }

    /// <summary>
    /// Runs <paramref name="works"/> as one group: the first holds the gate until all the others queue behind it,
    /// so that each later one joins its transaction in order.
    /// </summary>
    private static Task<Task[]> RunAsOneGroupAsync(Db db, params Func<DbConnection, DbTransaction, Task>[] works) =>
        RunAsOneGroupAsync(db, new StrongBox<int>(), works);

    /// <inheritdoc cref="RunAsOneGroupAsync(Db, Func{DbConnection, DbTransaction, Task}[])"/>
    /// <param name="returned">Counts the calls that have returned (or thrown).</param>
    private static async Task<Task[]> RunAsOneGroupAsync(Db db, StrongBox<int> returned, params Func<DbConnection, DbTransaction, Task>[] works)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new Task[works.Length];
        async Task Counted(Func<Task> call)
        {
            try
            {
                await call();
            }
            finally
            {
                Interlocked.Increment(ref returned.Value);
            }
        }

        tasks[0] = Task.Run(() => Counted(() => db.InTransactionAsync(async (connection, transaction) =>
        {
            started.SetResult();
            await release.Task;
            await works[0](connection, transaction);
            return 0;
        })));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i < works.Length; i++)
        {
            var work = works[i];
            var waitingBefore = i - 1;
            // One at a time, so that the queue's order is the works' order.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (db.QueuedWriters < waitingBefore && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }

            tasks[i] = Task.Run(() => Counted(() => db.InTransactionAsync(async (connection, transaction) =>
            {
                await work(connection, transaction);
                return 0;
            })));
        }

        var until = DateTime.UtcNow.AddSeconds(10);
        while (db.QueuedWriters < works.Length - 1 && DateTime.UtcNow < until)
        {
            await Task.Delay(5);
        }

        Assert.Equal(works.Length - 1, db.QueuedWriters);
        release.SetResult();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception) when (tasks.All(t => t.IsCompleted))
        {
            // The test asserts on each task's own outcome.
        }

        return tasks;
    }

    [Fact]
    public async Task ManyConcurrentWriters_AllCommit_AndEachIsVisibleElsewhereAsSoonAsItReturns()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);
        var notYetVisible = 0;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var name = $"row{i}";
            await db.InTransactionAsync((connection, transaction) => InsertAsync(connection, transaction, name));
            if (CountElsewhere(db, name) != 1)
            {
                Interlocked.Increment(ref notYetVisible);
            }
        })));

        Assert.Equal(0, notYetVisible);
        Assert.Equal(200, CountElsewhere(db));
    }

    [Fact]
    public async Task QueuedWriters_ShareOneTransaction_AndNoneReturnsBeforeItsCommit()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);
        var returned = new StrongBox<int>();
        var seenByLast = new List<string>();

        var tasks = await RunAsOneGroupAsync(db, returned,
            (c, t) => InsertAsync(c, t, "a"),
            (c, t) => InsertAsync(c, t, "b"),
            async (c, t) =>
            {
                // The same transaction: the rows of the earlier works, not yet committed, and nobody back yet.
                seenByLast.AddRange(await c.QueryAsync<string>("SELECT name FROM gc_rows ORDER BY name", transaction: t));
                seenByLast.Add($"elsewhere={CountElsewhere(db)}");
                seenByLast.Add($"returned={Volatile.Read(ref returned.Value)}");
                await InsertAsync(c, t, "c");
            });

        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(["a", "b", "elsewhere=0", "returned=0"], seenByLast);
        Assert.Equal(3, CountElsewhere(db));
    }

    [Fact]
    public async Task AFailingWork_RollsBackAlone_WithItsOwnException_AndTheOthersCommit()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);

        var tasks = await RunAsOneGroupAsync(db,
            (c, t) => InsertAsync(c, t, "first"),
            async (c, t) =>
            {
                await InsertAsync(c, t, "failing");
                throw new InvalidOperationException("refused");
            },
            // A statement that fails inside the database, after the others' rows: only its own work is undone.
            (c, t) => InsertAsync(c, t, "first"),
            (c, t) => InsertAsync(c, t, "last"));

        Assert.True(tasks[0].IsCompletedSuccessfully);
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[1])).Message);
        await Assert.ThrowsAsync<SqliteException>(() => tasks[2]);
        Assert.True(tasks[3].IsCompletedSuccessfully);
        Assert.Equal(1, CountElsewhere(db, "first"));
        Assert.Equal(0, CountElsewhere(db, "failing"));
        Assert.Equal(1, CountElsewhere(db, "last"));
        Assert.Equal(2, CountElsewhere(db));
    }

    [Fact]
    public async Task TheFirstWorkFailing_LeavesTheQueuedOnesToCommit()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);

        var tasks = await RunAsOneGroupAsync(db,
            async (c, t) =>
            {
                await InsertAsync(c, t, "failing");
                throw new InvalidOperationException("refused");
            },
            (c, t) => InsertAsync(c, t, "second"),
            (c, t) => InsertAsync(c, t, "third"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[0]);
        Assert.True(tasks[1].IsCompletedSuccessfully);
        Assert.True(tasks[2].IsCompletedSuccessfully);
        Assert.Equal(0, CountElsewhere(db, "failing"));
        Assert.Equal(2, CountElsewhere(db));
    }

    [Fact]
    public async Task TheGroupsCommitFailing_FailsEveryMember_AndStoresNothing()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);

        var tasks = await RunAsOneGroupAsync(db,
            (c, t) => InsertAsync(c, t, "a"),
            // A deferred foreign key is checked at COMMIT only: this work succeeds, the commit does not.
            (c, t) => c.ExecuteAsync("INSERT INTO gc_children (row_id) VALUES (999)", transaction: t),
            (c, t) => InsertAsync(c, t, "c"));

        foreach (var task in tasks)
        {
            var error = await Assert.ThrowsAsync<SqliteException>(() => task);
            Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        }

        Assert.Equal(0, CountElsewhere(db));
        // The gate was passed on: the next write commits alone.
        await db.InTransactionAsync((c, t) => InsertAsync(c, t, "after"));
        Assert.Equal(1, CountElsewhere(db, "after"));
    }

    [Fact]
    public async Task WhenCommitted_RunsForEachMember_OnlyAfterTheGroupsCommit()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);
        var ran = new List<string>();
        var ranBeforeLastWork = -1;

        var tasks = await RunAsOneGroupAsync(db,
            async (c, t) =>
            {
                await InsertAsync(c, t, "a");
                db.WhenCommitted(() => { lock (ran) { ran.Add($"a:{CountElsewhere(db)}"); } });
            },
            async (c, t) =>
            {
                await InsertAsync(c, t, "b");
                db.WhenCommitted(() => { lock (ran) { ran.Add($"b:{CountElsewhere(db)}"); } });
            },
            async (c, t) =>
            {
                lock (ran)
                {
                    ranBeforeLastWork = ran.Count;
                }

                await InsertAsync(c, t, "c");
            });

        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(0, ranBeforeLastWork);
        Assert.Equal(["a:3", "b:3"], ran.Order());
    }

    [Fact]
    public async Task GroupCommitOff_EachWriteCommitsAlone()
    {
        using var app = NewApp("Database:SqliteGroupCommitMaxWrites", "1");
        var db = await DbWithSchemaAsync(app);
        var seenBySecond = -1L;

        var tasks = await RunAsOneGroupAsync(db,
            (c, t) => InsertAsync(c, t, "a"),
            async (c, t) =>
            {
                seenBySecond = CountElsewhere(db); // the first committed before this one began
                await InsertAsync(c, t, "b");
            });

        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(1, seenBySecond);
    }

    [Fact]
    public async Task ServiceConnections_SyncEveryCommit_WhenNothingIsConfigured()
    {
        using var app = NewApp();
        var db = await DbWithSchemaAsync(app);

        await using var connection = await db.OpenAsync();
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL: acknowledged writes survive a power cut
    }

    [Fact]
    public async Task ServiceConnections_EnforceForeignKeys_AndUseTheConfiguredSynchronous_EveryTimeTheyAreReused()
    {
        using var app = NewApp("Database:SqliteSynchronous", "EXTRA");
        var db = await DbWithSchemaAsync(app);

        for (var i = 0; i < 3; i++)
        {
            await using var connection = await db.OpenAsync();
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
            Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // EXTRA
        }

        await Assert.ThrowsAsync<SqliteException>(() => db.InTransactionAsync((c, t) =>
            c.ExecuteAsync("INSERT INTO gc_children (row_id) VALUES (999)", transaction: t)));
    }
}
