using System.Net;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Keys;

/// <summary><c>GET /me</c>: every key learns who it is, with the names of what it acts for.</summary>
public sealed class MeTests : IDisposable
{
    private readonly FinanceChainApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EachRole_SeesItsKey_RoleAndParty_WithNames()
    {
        var admin = await _app.ClientAsync(Role.Admin);
        var bankId = await admin.CreateInstitutionAsync();
        var enterpriseId = await admin.CreateEnterpriseAsync();

        var me = await (await admin.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("admin", me["role"]!.GetValue<string>());
        Assert.StartsWith("key_", me["keyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(me["institutionId"]);
        Assert.Null(me["enterpriseId"]);

        var regulator = await (await (await _app.ClientAsync(Role.Regulator)).GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("regulator", regulator["role"]!.GetValue<string>());

        var bank = await (await (await _app.ClientAsync(Role.Bank, institutionId: bankId)).GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("bank", bank["role"]!.GetValue<string>());
        Assert.Equal(bankId, bank["institutionId"]!.GetValue<string>());
        Assert.Equal("中国银行湖北省分行", bank["institutionName"]!.GetValue<string>());
        Assert.Null(bank["enterpriseId"]);

        var enterprise = await (await (await _app.ClientAsync(Role.Enterprise, enterpriseId: enterpriseId)).GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("enterprise", enterprise["role"]!.GetValue<string>());
        Assert.Equal(enterpriseId, enterprise["enterpriseId"]!.GetValue<string>());
        Assert.Equal("襄阳驰远汽车零部件有限公司", enterprise["enterpriseName"]!.GetValue<string>());
        Assert.Null(enterprise["institutionId"]);
        Assert.Equal("test", enterprise["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoKey_UnknownKey_OrRevokedKey_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.ClientWithKey(null).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.ClientWithKey("fck_unknown").GetAsync("/api/v1/me")).StatusCode);

        var admin = await _app.ClientAsync(Role.Admin);
        var regulator = await _app.ClientAsync(Role.Regulator);
        var keyId = (await (await regulator.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK))["keyId"]!.GetValue<string>();
        await (await admin.PostAsync($"/api/v1/keys/{keyId}/revoke", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await regulator.GetAsync("/api/v1/me")).StatusCode);
    }
}
