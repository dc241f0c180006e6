using System.Net;
using FinanceChain.Api.Database;
using FinanceChain.Api.Keys;
using FinanceChain.Api.Products;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Keys;

/// <summary>
/// Keys are kept in memory per instance and checked against the keys change counter: a key revoked through one
/// instance is refused by every instance on its very next request, however often they have seen it before. On every
/// provider (<see cref="SqliteKeyRevocationTests"/>, <see cref="SqlServerKeyRevocationTests"/>).
/// </summary>
public abstract class KeyRevocationSuite<TProvider> : IAsyncLifetime
    where TProvider : DatabaseProvider, new()
{
    private readonly FinanceChainApp _app = new TProvider().NewApp();
    private FinanceChainApp _other = null!;

    public Task InitializeAsync()
    {
        _other = _app.Another();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _other.Dispose();
        _app.Dispose();
        return Task.CompletedTask;
    }

    [ProviderFact]
    public async Task KeyRevokedThroughOneInstance_IsRefusedByTheOther_OnItsNextRequest()
    {
        var admin = await _app.ClientAsync(Role.Admin);
        var plain = await _app.CreateKeyAsync(Role.Regulator);
        var onThis = _app.ClientWithKey(plain);
        var onOther = _other.ClientWithKey(plain);
        string keyId = "";
        for (var i = 0; i < 3; i++)
        {
            keyId = (await (await onThis.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK))["keyId"]!.GetValue<string>();
            await (await onOther.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        }

        await (await admin.PostAsync($"/api/v1/keys/{keyId}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onOther.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onOther.GetAsync("/api/v1/chains")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onThis.GetAsync("/api/v1/me")).StatusCode);
    }

    [ProviderFact]
    public async Task SessionKeyRevokedThroughOneInstance_IsGoneOnTheOther()
    {
        var plain = await _app.CreateKeyAsync(Role.Regulator);
        var keys = _app.Services.GetRequiredService<KeyStore>();
        var otherKeys = _other.Services.GetRequiredService<KeyStore>();
        var key = (await keys.FindActiveAsync(plain, CancellationToken.None))!;
        Assert.NotNull(await otherKeys.FindActiveByIdAsync(key.Id, CancellationToken.None));
        Assert.NotNull(await otherKeys.FindActiveByIdAsync(key.Id, CancellationToken.None));

        await keys.RevokeAsync(key.Id, new Auth.Caller("key_test", "test", Role.Admin, null, null), CancellationToken.None);

        Assert.Null(await otherKeys.FindActiveByIdAsync(key.Id, CancellationToken.None));
        Assert.Null(await otherKeys.FindActiveAsync(plain, CancellationToken.None));
    }

    [ProviderFact]
    public async Task KeptKey_IsServedFromMemory_UntilAnyKeyChanges()
    {
        var keys = _app.Services.GetRequiredService<KeyStore>();
        var plain = await _app.CreateKeyAsync(Role.Regulator);
        var first = await keys.FindActiveAsync(plain, CancellationToken.None);
        Assert.Same(first, await keys.FindActiveAsync(plain, CancellationToken.None));

        // Another key created through the other instance moves the counter: the key is read again.
        await _other.CreateKeyAsync(Role.Admin);
        var again = await keys.FindActiveAsync(plain, CancellationToken.None);
        Assert.NotSame(first, again);
        Assert.Equal(first!.Id, again!.Id);
    }

    [ProviderFact]
    public async Task UnknownKeys_AreNotKept()
    {
        var keys = _app.Services.GetRequiredService<KeyStore>();
        var plain = await _app.CreateKeyAsync(Role.Regulator);
        await keys.FindActiveAsync(plain, CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            Assert.Null(await keys.FindActiveAsync($"fc_made_up_{i}", CancellationToken.None));
        }

        Assert.Equal(1, keys.KeptCount);
    }

    [ProviderFact]
    public async Task CountersReadOnceInARequest_AreForgottenWhenTheFlowWrites()
    {
        var counters = _app.Services.GetRequiredService<ChangeCounters>();
        var admin = await _app.ClientAsync(Role.Admin);
        var bank = await admin.CreateInstitutionAsync();

        ChangeCounters.KeepFirstReading();
        var first = await counters.ReadAsync(CancellationToken.None);

        // A change made elsewhere (another flow) does not move this request's reading: it is concurrent with it.
        Task elsewhere;
        using (ExecutionContext.SuppressFlow())
        {
            elsewhere = Task.Run(() => _other.CreateKeyAsync(Role.Regulator));
        }

        await elsewhere;

        Assert.Equal(first, await counters.ReadAsync(CancellationToken.None));

        // A write of this flow does: it must read its own change.
        await _app.CreateKeyAsync(Role.Bank, institutionId: bank);
        var after = await counters.ReadAsync(CancellationToken.None);
        Assert.Equal(first.Keys + 2, after.Keys);
        Assert.Equal(first.Products, after.Products);
    }
}

/// <summary>The key revocation suite on SQLite.</summary>
public sealed class SqliteKeyRevocationTests : KeyRevocationSuite<SqliteProvider>;

/// <summary>The key revocation suite on SQL Server (<c>FINANCECHAIN_TEST_SQLSERVER</c>).</summary>
public sealed class SqlServerKeyRevocationTests : KeyRevocationSuite<SqlServerProvider>;
