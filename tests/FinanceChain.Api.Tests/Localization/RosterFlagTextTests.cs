using System.Net;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Roster;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace FinanceChain.Api.Tests.Localization;

/// <summary>Roster flags are stored as codes and values and written in the reader's language when read.</summary>
public sealed class RosterFlagTextTests : IDisposable
{
    private readonly FinanceChainApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Flags_ChineseByDefault_EnglishOnRequest_SameCodes()
    {
        var admin = await _app.ClientAsync(Role.Admin);
        var chain = await admin.CreateChainAsync(code: "HB-TEA");
        await admin.CompileAsync("2026H1");

        var zh = (await (await admin.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK)).Entry(chain);
        var en = (await (await LanguageTests.SendAsync(admin, HttpMethod.Get, "/api/v1/rosters/2026H1", "en")).ExpectAsync(HttpStatusCode.OK)).Entry(chain);

        Assert.Equal(zh.FlagCodes(), en.FlagCodes());
        Assert.Equal(["noLeadBank", "noCoreEnterprise"], zh.FlagCodes());
        Assert.Equal("产业链 HB-TEA「汽车」尚无主办行。", zh["flags"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("Chain HB-TEA 汽车 has no lead bank.", en["flags"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("湖北省武汉市", zh["regionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagsStoredAsEnglishSentences_StillReadInBothLanguages()
    {
        // A roster compiled before flags carried their values: only an English sentence was stored.
        const string Entries = """
            [{"chainId":"chn_01","chainCode":"HN-CM","chainName":"工程机械","region":"430100",
              "leadBank":{"institutionId":"ins_01","institutionName":"中国建设银行湖南省分行","since":"2025-01-01T00:00:00Z"},
              "coreEnterprises":[{"enterpriseId":"ent_01","name":"三一重工股份有限公司","creditCode":"91430000184796020X"}],
              "metrics":{"period":"2025H2","offersAccepted":0,"amountFinancedFen":0,"notesDiscounted":0,"enterprisesServed":0},
              "flags":[
                {"code":"leadBankFinancedNothing","message":"Lead bank 中国建设银行湖南省分行 had no offer accepted and discounted no note on chain HN-CM in 2025H2.","enterpriseId":null},
                {"code":"coreEnterpriseOverdueNote","message":"Core enterprise 三一重工股份有限公司 (91430000184796020X) accepted 2 notes past due and unpaid, the earliest due 2026-01-10.","enterpriseId":"ent_01"}]}]
            """;
        var db = _app.Services.GetRequiredService<Db>();
        await db.InTransactionAsync(
            (connection, transaction) => connection.ExecuteAsync(RosterStore.InsertSql, new
            {
                Period = "2026H1",
                Status = "draft",
                Entries,
                EntryCount = 1,
                CompiledAt = Instant.FromUtc(2026, 1, 1, 0, 0),
                CompiledBy = "roster-republish",
            }, transaction),
            CancellationToken.None);
        var regulator = await _app.ClientAsync(Role.Regulator);

        var zh = (await (await regulator.GetAsync("/api/v1/rosters/2026H1")).ExpectAsync(HttpStatusCode.OK)).Entry("chn_01");
        var en = (await (await LanguageTests.SendAsync(regulator, HttpMethod.Get, "/api/v1/rosters/2026H1", "en")).ExpectAsync(HttpStatusCode.OK)).Entry("chn_01");

        Assert.Equal(
            ["主办行中国建设银行湖南省分行在2025年下半年未在产业链 HN-CM「工程机械」上促成融资：没有报价被接受，也没有贴现票据。",
             "核心企业三一重工股份有限公司（91430000184796020X）承兑的 2 张供应链票据逾期未付，最早到期日为 2026年1月10日。"],
            zh["flags"]!.AsArray().Select(f => f!["message"]!.GetValue<string>()));
        Assert.Equal(
            "Core enterprise 三一重工股份有限公司 (91430000184796020X) accepted 2 supply-chain notes past due and unpaid, the earliest due 2026-01-10.",
            en["flags"]![1]!["message"]!.GetValue<string>());
        Assert.Equal("三一重工股份有限公司", zh["flags"]![1]!["enterpriseName"]!.GetValue<string>());
    }
}
