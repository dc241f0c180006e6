using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Database;

/// <summary>One transaction for everything a request changes (<see cref="Db.BeginShared"/>), as idempotent requests run.</summary>
public sealed class SharedTransactionTests
{
    private static Task<long> CountersAsync(Db db) =>
        db.QuerySingleOrDefaultAsync<long>("SELECT COUNT(*) FROM change_counters WHERE name = 'test'");

    private static Task<int> InsertAsync(Db db) =>
        db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync("INSERT INTO change_counters (name, value) VALUES ('test', 1)", transaction: transaction));

    [Fact]
    public async Task Changes_InsideIt_CommitTogether_AndAfterCommitWorkRunsOnlyThen()
    {
        using var app = new FinanceChainApp();
        var db = app.Services.GetRequiredService<Db>();
        var ran = 0;

        await using (var shared = db.BeginShared())
        {
            await InsertAsync(db);
            db.WhenCommitted(() => ran++);
            Assert.Equal(1, await CountersAsync(db)); // reads inside it see its changes
            Assert.Equal(0, ran);
            await shared.CommitAsync();
        }

        Assert.Equal(1, ran);
        Assert.Equal(1, await CountersAsync(db));
        db.WhenCommitted(() => ran++); // outside one: at once
        Assert.Equal(2, ran);
    }

    [Fact]
    public async Task WorkOfASingleTransaction_AsksForAfterCommitWork_ThatRunsOnlyOnceCommitted()
    {
        using var app = new FinanceChainApp();
        var db = app.Services.GetRequiredService<Db>();
        var seen = new List<long>();

        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO change_counters (name, value) VALUES ('test', 1)", transaction: transaction);
            // Run after the commit, on a connection of its own: it sees the row.
            db.WhenCommitted(() => seen.Add(CountersAsync(db).GetAwaiter().GetResult()));
            Assert.Empty(seen);
            return 0;
        });
        Assert.Equal([1L], seen);

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.InTransactionAsync<int>((connection, transaction) =>
        {
            db.WhenCommitted(() => seen.Add(-1));
            throw new InvalidOperationException("refused");
        }));
        Assert.Equal([1L], seen); // a rolled-back transaction runs nothing
        db.WhenCommitted(() => seen.Add(2)); // outside both: at once
        Assert.Equal([1L, 2L], seen);
    }

    [Fact]
    public async Task Disposed_WithoutCommit_RollsEverythingBack_AndDropsAfterCommitWork()
    {
        using var app = new FinanceChainApp();
        var db = app.Services.GetRequiredService<Db>();
        var ran = false;

        await using (db.BeginShared())
        {
            await InsertAsync(db);
            db.WhenCommitted(() => ran = true);
        }

        Assert.False(ran);
        Assert.Equal(0, await CountersAsync(db));
    }

    [Fact]
    public async Task APartThatFailed_RefusesTheCommit()
    {
        using var app = new FinanceChainApp();
        var db = app.Services.GetRequiredService<Db>();

        await using var shared = db.BeginShared();
        await InsertAsync(db);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => InsertAsync(db)); // primary key
        await Assert.ThrowsAsync<InvalidOperationException>(() => shared.CommitAsync());
        await shared.DisposeAsync();
        Assert.Equal(0, await CountersAsync(db));
    }
}
