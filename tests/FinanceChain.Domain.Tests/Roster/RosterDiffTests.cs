using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Roster;

public class RosterDiffTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 1, 5, 2, 0);

    // A roster can be approved once its period has started.
    private static HalfYearRoster Published(string period, RosterData data) =>
        HalfYearRoster.Compile(null, data.Compile(period), At).Approve(null, Instant.Max(At, HalfYear.Parse(period).StartInstant(HalfYear.ShanghaiZone)));

    private static HalfYearRoster Draft(string period, RosterData data) =>
        HalfYearRoster.Compile(null, data.Compile(period), At);

    [Fact]
    public void Between_SameContent_IsEmpty()
    {
        var data = new RosterData().HealthyChain("c1", "A", "a").HealthyChain("c2", "B", "b");

        var diff = RosterDiff.Between(Published("2025H2", data), Draft("2026H1", data));

        Assert.True(diff.IsEmpty);
        Assert.Equal(HalfYear.Parse("2025H2"), diff.FromPeriod);
        Assert.Equal(HalfYear.Parse("2026H1"), diff.ToPeriod);
    }

    [Fact]
    public void Between_NothingPublishedBefore_EveryChainIsAdded()
    {
        var current = Draft("2026H1", new RosterData().HealthyChain("c2", "B", "b").HealthyChain("c1", "A", "a"));

        var diff = RosterDiff.Between(null, current);

        Assert.Null(diff.FromPeriod);
        Assert.Equal(["A", "B"], diff.ChainsAdded.Select(c => c.ChainCode).ToArray());
        Assert.Empty(diff.ChainsRemoved);
        Assert.Empty(diff.LeadBankChanges);
        Assert.Empty(diff.CoreEnterpriseChanges);
    }

    [Fact]
    public void Between_ChainsAddedAndRemoved_InCodeOrder()
    {
        var before = Published("2025H2", new RosterData()
            .HealthyChain("c1", "A", "a")
            .HealthyChain("c_gone2", "Z", "z")
            .HealthyChain("c_gone1", "C", "c"));
        var after = Draft("2026H1", new RosterData()
            .HealthyChain("c1", "A", "a")
            .HealthyChain("c_new2", "Y", "小龙虾")
            .HealthyChain("c_new1", "B", "香菇"));

        var diff = RosterDiff.Between(before, after);

        Assert.Equal(
            [new RosterChainRef("c_new1", "B", "香菇"), new RosterChainRef("c_new2", "Y", "小龙虾")],
            diff.ChainsAdded);
        Assert.Equal(["C", "Z"], diff.ChainsRemoved.Select(c => c.ChainCode).ToArray());
        Assert.Empty(diff.LeadBankChanges);
        Assert.Empty(diff.CoreEnterpriseChanges);
    }

    [Fact]
    public void Between_LeadBankChanged_FromOneBankToAnother()
    {
        var before = Published("2025H2", new RosterData().Chain("c1", "A", "a").Lead("c1", "ins_boc", "中国银行").Core("c1", "e1", "x"));
        var after = Draft("2026H1", new RosterData().Chain("c1", "A", "a").Lead("c1", "ins_abc", "农业银行").Core("c1", "e1", "x"));

        var change = Assert.Single(RosterDiff.Between(before, after).LeadBankChanges);

        Assert.Equal(new RosterChainRef("c1", "A", "a"), change.Chain);
        Assert.Equal("ins_boc", change.From?.InstitutionId);
        Assert.Equal("农业银行", change.To?.InstitutionName);
    }

    [Fact]
    public void Between_LeadBankAppearedOrWent_FromNoneAndToNone()
    {
        var before = Published("2025H2", new RosterData()
            .Chain("c1", "A", "a").Core("c1", "e1", "x")
            .Chain("c2", "B", "b").Lead("c2", "ins_ccb", "建设银行").Core("c2", "e2", "y"));
        var after = Draft("2026H1", new RosterData()
            .Chain("c1", "A", "a").Lead("c1", "ins_adbc", "农业发展银行").Core("c1", "e1", "x")
            .Chain("c2", "B", "b").Core("c2", "e2", "y"));

        var changes = RosterDiff.Between(before, after).LeadBankChanges;

        Assert.Equal(2, changes.Count);
        Assert.Null(changes[0].From);
        Assert.Equal("ins_adbc", changes[0].To?.InstitutionId);
        Assert.Equal("ins_ccb", changes[1].From?.InstitutionId);
        Assert.Null(changes[1].To);
    }

    [Fact]
    public void Between_SameBankPairedAgain_IsNotAChange()
    {
        var before = Published("2025H2", new RosterData().Chain("c1", "A", "a").Lead("c1", "ins_boc", "中国银行", Instant.FromUtc(2024, 1, 1, 0, 0)));
        var after = Draft("2026H1", new RosterData().Chain("c1", "A", "a").Lead("c1", "ins_boc", "中国银行湖北省分行", Instant.FromUtc(2025, 9, 1, 0, 0)));

        Assert.Empty(RosterDiff.Between(before, after).LeadBankChanges);
    }

    [Fact]
    public void Between_CoreEnterprisesAddedAndRemoved_PerChain()
    {
        var before = Published("2025H2", new RosterData()
            .Chain("c1", "A", "工程机械").Lead("c1", "i", "b")
            .Core("c1", "e_sany", "三一重工").Core("c1", "e_zoom", "中联重科").Core("c1", "e_crcc", "铁建重工")
            .Chain("c2", "B", "b").Lead("c2", "i", "b").Core("c2", "e9", "same"));
        var after = Draft("2026H1", new RosterData()
            .Chain("c1", "A", "工程机械").Lead("c1", "i", "b")
            .Core("c1", "e_sany", "三一重工").Core("c1", "e_sunward", "山河智能").Core("c1", "e_crrc", "中车株机")
            .Chain("c2", "B", "b").Lead("c2", "i", "b").Core("c2", "e9", "same"));

        var change = Assert.Single(RosterDiff.Between(before, after).CoreEnterpriseChanges);

        Assert.Equal("c1", change.Chain.ChainId);
        // Ordered by name, ordinally: 中 (U+4E2D) before 山 (U+5C71) before 铁 (U+94C1).
        Assert.Equal(["中车株机", "山河智能"], change.Added.Select(e => e.Name).ToArray());
        Assert.Equal(["中联重科", "铁建重工"], change.Removed.Select(e => e.Name).ToArray());
        Assert.Equal(["e_zoom", "e_crcc"], change.Removed.Select(e => e.EnterpriseId).ToArray());
    }

    [Fact]
    public void Between_AddedOrRemovedChain_ListsNoLeadBankOrCoreChangeForIt()
    {
        var before = Published("2025H2", new RosterData().HealthyChain("c_old", "A", "a"));
        var after = Draft("2026H1", new RosterData().HealthyChain("c_new", "B", "b"));

        var diff = RosterDiff.Between(before, after);

        Assert.Single(diff.ChainsAdded);
        Assert.Single(diff.ChainsRemoved);
        Assert.Empty(diff.LeadBankChanges);
        Assert.Empty(diff.CoreEnterpriseChanges);
    }

    [Fact]
    public void Between_CodeRenamed_IsMatchedById_AndReportedUnderTheNewCode()
    {
        var before = Published("2025H2", new RosterData().Chain("c1", "OLD", "old name").Lead("c1", "i1", "x"));
        var after = Draft("2026H1", new RosterData().Chain("c1", "NEW", "new name").Lead("c1", "i2", "y"));

        var diff = RosterDiff.Between(before, after);

        Assert.Empty(diff.ChainsAdded);
        Assert.Empty(diff.ChainsRemoved);
        Assert.Equal(new RosterChainRef("c1", "NEW", "new name"), Assert.Single(diff.LeadBankChanges).Chain);
    }

    [Fact]
    public void Between_ChangesAcrossChains_AreOrderedByCode()
    {
        var before = Published("2025H2", new RosterData()
            .Chain("c1", "Z", "z").Lead("c1", "i1", "x")
            .Chain("c2", "M", "m").Lead("c2", "i1", "x")
            .Chain("c3", "A", "a").Lead("c3", "i1", "x"));
        var after = Draft("2026H1", new RosterData()
            .Chain("c3", "A", "a").Lead("c3", "i2", "y")
            .Chain("c1", "Z", "z").Lead("c1", "i2", "y")
            .Chain("c2", "M", "m").Lead("c2", "i2", "y"));

        var codes = RosterDiff.Between(before, after).LeadBankChanges.Select(c => c.Chain.ChainCode).ToArray();

        Assert.Equal(["A", "M", "Z"], codes);
    }

    [Fact]
    public void Between_PreviousNotPublishedOrNotEarlier_IsRefused()
    {
        var data = new RosterData().HealthyChain("c1", "A", "a");

        Assert.Throws<ArgumentException>(() => RosterDiff.Between(Draft("2025H2", data), Draft("2026H1", data)));
        Assert.Throws<ArgumentException>(() => RosterDiff.Between(Published("2026H1", data), Draft("2026H1", data)));
        Assert.Throws<ArgumentException>(() => RosterDiff.Between(Published("2026H2", data), Draft("2026H1", data)));
    }

    [Fact]
    public void Between_PreviousPublishedNeedNotBeTheImmediatelyPreviousPeriod()
    {
        var data = new RosterData().HealthyChain("c1", "A", "a");

        var diff = RosterDiff.Between(Published("2024H2", data), Draft("2026H1", data));

        Assert.Equal(HalfYear.Parse("2024H2"), diff.FromPeriod);
        Assert.True(diff.IsEmpty);
    }
}
