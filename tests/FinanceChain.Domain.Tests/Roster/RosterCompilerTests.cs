using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Roster;

public class RosterCompilerTests
{
    private static RosterFlagCode[] Codes(RosterEntry entry) => entry.Flags.Select(f => f.Code).ToArray();

    [Fact]
    public void Compile_HealthyChain_CarriesEverythingAndNoFlags()
    {
        var draft = new RosterData().HealthyChain("chn_car", "HB-08", "汽车").Compile("2026H1");

        Assert.Equal(HalfYear.Parse("2026H1"), draft.Period);
        var entry = Assert.Single(draft.Entries);
        Assert.Equal("chn_car", entry.ChainId);
        Assert.Equal("HB-08", entry.ChainCode);
        Assert.Equal("汽车", entry.ChainName);
        Assert.Equal("420000", entry.Region);
        Assert.Equal(new RosterLeadBank("ins_chn_car", "Bank of 汽车", RosterData.PairedAt), entry.LeadBank);
        Assert.Equal([new RosterCoreEnterprise("ent_chn_car", "Core of 汽车", "91420100MA4KXXXX0X")], entry.CoreEnterprises);
        Assert.Equal(new RosterMetrics(HalfYear.Parse("2025H2"), 3, Money.FromYuan(1_250_000.50m), 2, 4), entry.Metrics);
        Assert.Empty(entry.Flags);
    }

    [Fact]
    public void Compile_MetricsCoverThePreviousPeriod_AcrossTheYear()
    {
        var draft = new RosterData().HealthyChain("c1", "A", "a").Compile("2027H1");

        Assert.Equal(HalfYear.Parse("2026H2"), draft.Entries[0].Metrics.Period);
    }

    [Fact]
    public void Compile_NoLeadBank_FlagsItWithZeroMetrics()
    {
        var draft = new RosterData()
            .Chain("c1", "A", "茶叶(青砖茶)")
            .Core("c1", "e1", "赵李桥茶厂")
            .Results("c1", "ins_old", 5, 100m, 1, 1) // an old lead bank's results are not this chain's lead bank's
            .Compile();

        var entry = draft.Entries[0];
        Assert.Null(entry.LeadBank);
        Assert.Equal(RosterMetrics.None(HalfYear.Parse("2025H2")), entry.Metrics);
        Assert.Equal([RosterFlagCode.NoLeadBank], Codes(entry));
        Assert.Contains("茶叶(青砖茶)", entry.Flags[0].Args);
        Assert.Null(entry.Flags[0].EnterpriseId);
    }

    [Theory]
    [InlineData(0, 0, false, true)] // nothing at all
    [InlineData(0, 0, true, true)] // a row of zeros
    [InlineData(1, 0, true, false)] // an accepted offer is enough
    [InlineData(0, 1, true, false)] // a discounted note is enough
    public void Compile_LeadBankFinancedNothing_OnlyWhenNoOfferAndNoNote(int offers, int notes, bool hasRow, bool flagged)
    {
        var data = new RosterData()
            .Chain("c1", "A", "集成电路")
            .Lead("c1", "ins_ccb", "中国建设银行湖北省分行")
            .Core("c1", "e1", "长江存储科技有限责任公司");
        if (hasRow)
        {
            data.Results("c1", "ins_ccb", offers, offers + notes == 0 ? 0m : 500_000m, notes, offers + notes);
        }

        var entry = data.Compile("2026H2").Entries[0];

        Assert.Equal(flagged, Codes(entry).Contains(RosterFlagCode.LeadBankFinancedNothing));
        Assert.DoesNotContain(RosterFlagCode.NoLeadBank, Codes(entry));
        if (flagged)
        {
            Assert.Equal("中国建设银行湖北省分行", entry.Flags[0].Args[0]);
            Assert.Equal(HalfYear.Parse("2026H1"), entry.Flags[0].Args[3]);
        }
    }

    [Fact]
    public void Compile_ResultsOfAnotherInstitution_DoNotCountForTheLeadBank()
    {
        var entry = new RosterData()
            .Chain("c1", "A", "汽车")
            .Lead("c1", "ins_new", "New lead bank")
            .Core("c1", "e1", "东风汽车集团有限公司")
            .Results("c1", "ins_old", 9, 9_000_000m, 9, 9)
            .Compile().Entries[0];

        Assert.Equal(0, entry.Metrics.OffersAccepted);
        Assert.Equal(Money.Zero, entry.Metrics.AmountFinanced);
        Assert.Equal([RosterFlagCode.LeadBankFinancedNothing], Codes(entry));
    }

    [Fact]
    public void Compile_NoCoreEnterprise_FlagsIt()
    {
        var entry = new RosterData()
            .Chain("c1", "A", "航空航天")
            .Lead("c1", "ins_boc", "中国银行湖北省分行")
            .Results("c1", "ins_boc", 1, 10m, 0, 1)
            .Compile().Entries[0];

        Assert.Empty(entry.CoreEnterprises);
        Assert.Equal([RosterFlagCode.NoCoreEnterprise], Codes(entry));
    }

    [Fact]
    public void Compile_CoreEnterpriseThatDishonoured_NamesTheEnterprise()
    {
        var entry = new RosterData()
            .HealthyChain("c1", "A", "工程机械")
            .Core("c1", "e_sany", "三一重工股份有限公司", "91430000184796020X")
            .Core("c1", "e_zoom", "中联重科股份有限公司")
            .Dishonoured("e_sany", 2, 1, new LocalDate(2026, 5, 10))
            .Dishonoured("e_not_core", 1) // an acceptor that is not a core enterprise of this chain
            .Compile("2026H2").Entries[0];

        var flag = Assert.Single(entry.Flags);
        Assert.Equal(RosterFlagCode.CoreEnterpriseDishonouredNote, flag.Code);
        Assert.Equal("e_sany", flag.EnterpriseId);
        Assert.Equal(["三一重工股份有限公司", "91430000184796020X", 2, 1, new NodaTime.LocalDate(2026, 5, 10), HalfYear.Parse("2026H1")], flag.Args);
    }

    [Fact]
    public void Compile_NoteOutcomes_AreTheChainsMetrics_WithOrWithoutALeadBank()
    {
        var draft = new RosterData()
            .HealthyChain("c1", "A", "a")
            .Chain("c2", "B", "b")
            .Outcomes("c1", 5, 1)
            .Outcomes("c2", 2, 0)
            .Compile();

        Assert.Equal((5, 1), (draft.Entries[0].Metrics.NotesPaid, draft.Entries[0].Metrics.NotesDishonoured));
        Assert.Equal(3, draft.Entries[0].Metrics.OffersAccepted);
        Assert.Equal((2, 0), (draft.Entries[1].Metrics.NotesPaid, draft.Entries[1].Metrics.NotesDishonoured));
        Assert.Equal(0, draft.Entries[1].Metrics.OffersAccepted);
    }

    [Fact]
    public void Compile_DishonouringAcceptorOfAnotherChain_IsNotFlaggedHere()
    {
        var draft = new RosterData()
            .HealthyChain("c1", "A", "a")
            .HealthyChain("c2", "B", "b")
            .Dishonoured("ent_c2")
            .Compile();

        Assert.Empty(draft.Entries[0].Flags);
        Assert.Equal([RosterFlagCode.CoreEnterpriseDishonouredNote], Codes(draft.Entries[1]));
    }

    [Fact]
    public void Compile_EveryFlagAtOnce_InEnumOrder()
    {
        var entry = new RosterData()
            .Chain("c1", "A", "a")
            .Core("c1", "e2", "乙")
            .Core("c1", "e1", "甲")
            .Dishonoured("e2")
            .Dishonoured("e1")
            .Compile().Entries[0];

        // Names sort ordinally, by UTF-16 code unit: 乙 (U+4E59) comes before 甲 (U+7532).
        Assert.Equal(["乙", "甲"], entry.CoreEnterprises.Select(e => e.Name).ToArray());
        Assert.Equal(
            [RosterFlagCode.NoLeadBank, RosterFlagCode.CoreEnterpriseDishonouredNote, RosterFlagCode.CoreEnterpriseDishonouredNote],
            Codes(entry));
        Assert.Equal(new string?[] { "e2", "e1" }, entry.Flags.Skip(1).Select(f => f.EnterpriseId).ToArray());

        var bare = new RosterData().Chain("c1", "A", "a").Compile().Entries[0];
        Assert.Equal([RosterFlagCode.NoLeadBank, RosterFlagCode.NoCoreEnterprise], Codes(bare));
    }

    [Fact]
    public void Compile_EntriesOrderedByChainCode_OnlyActiveChains()
    {
        var draft = new RosterData()
            .HealthyChain("c3", "HB-10", "c")
            .HealthyChain("c1", "HB-02", "a")
            .HealthyChain("c2", "HB-01", "b")
            .Lead("c_inactive", "ins_x", "x") // rows of chains that are not active are ignored
            .Core("c_inactive", "e_x", "x")
            .Compile();

        Assert.Equal(["HB-01", "HB-02", "HB-10"], draft.Entries.Select(e => e.ChainCode).ToArray());
    }

    [Fact]
    public void Compile_IsDeterministic_WhateverTheInputOrder()
    {
        var data = new RosterData()
            .HealthyChain("c1", "B", "b")
            .HealthyChain("c2", "A", "a")
            .Chain("c3", "C", "c")
            .Core("c1", "e9", "Zeta")
            .Core("c1", "e8", "Alpha")
            .Core("c3", "e7", "同名")
            .Core("c3", "e6", "同名")
            .Dishonoured("e8")
            .Dishonoured("e9");
        var period = HalfYear.Parse("2026H1");

        var a = RosterCompiler.Compile(period, data.Build());
        var b = RosterCompiler.Compile(period, data.BuildReversed());

        Assert.Equal(RosterCsv.Write(period, a.Entries), RosterCsv.Write(period, b.Entries));
        Assert.Equal(a.Entries.Count, b.Entries.Count);
        for (var i = 0; i < a.Entries.Count; i++)
        {
            Assert.Equal(a.Entries[i].ChainId, b.Entries[i].ChainId);
            Assert.Equal(a.Entries[i].LeadBank, b.Entries[i].LeadBank);
            Assert.Equal(a.Entries[i].CoreEnterprises, b.Entries[i].CoreEnterprises);
            Assert.Equal(a.Entries[i].Flags.Select(f => f.ToString()), b.Entries[i].Flags.Select(f => f.ToString()));
            Assert.Equal(a.Entries[i].Metrics, b.Entries[i].Metrics);
        }

        Assert.Equal(["e6", "e7"], a.Entries[2].CoreEnterprises.Select(e => e.EnterpriseId).ToArray());
    }

    [Fact]
    public void Compile_NoActiveChains_GivesAnEmptyDraft()
    {
        var draft = new RosterData().Compile();

        Assert.Empty(draft.Entries);
    }

    [Fact]
    public void Compile_FirstRepresentablePeriod_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => new RosterData().Compile("2000H1"));
        Assert.Equal("period", error.Field);
    }

    [Fact]
    public void Compile_ContradictoryInputs_Throw()
    {
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Chain("c1", "B", "b").Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Lead("c1", "i1", "x").Lead("c1", "i2", "y").Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Core("c1", "e1", "x").Core("c1", "e1", "x").Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().HealthyChain("c1", "A", "a").Results("c1", "i", 1, 1m, 1, 1).Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Results("c1", "i", -1, 0m, 0, 0).Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Dishonoured("e1").Dishonoured("e1").Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Dishonoured("e1", 0).Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Dishonoured("e1", 1, 2).Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Outcomes("c1", -1, 0).Compile());
        Assert.Throws<ArgumentException>(() => new RosterData().Chain("c1", "A", "a").Outcomes("c1", 1, 0).Outcomes("c1", 1, 0).Compile());
    }
}
