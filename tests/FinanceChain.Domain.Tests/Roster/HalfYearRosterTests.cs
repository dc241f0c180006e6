using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Roster;

public class HalfYearRosterTests
{
    private static readonly Instant T0 = Instant.FromUtc(2025, 12, 31, 16, 0);
    private static readonly Instant T1 = T0 + Duration.FromHours(1);
    private static readonly Instant T2 = T0 + Duration.FromHours(2);

    private static RosterDraft Draft(string period = "2026H1", string chainCode = "A") =>
        new RosterData().HealthyChain("c1", chainCode, "汽车").Compile(period);

    private static HalfYearRoster NewDraft() => HalfYearRoster.Compile(null, Draft(), T0);

    private static HalfYearRoster Returned() => NewDraft().Return("请补充核心企业名单", T1);

    private static HalfYearRoster Published() => NewDraft().Approve(null, T1);

    [Fact]
    public void Compile_NoRosterYet_MakesADraft()
    {
        var draft = Draft();
        var roster = HalfYearRoster.Compile(null, draft, T0);

        Assert.Equal(RosterStatus.Draft, roster.Status);
        Assert.Equal(HalfYear.Parse("2026H1"), roster.Period);
        Assert.Same(draft.Entries, roster.Entries);
        Assert.Equal(T0, roster.CompiledAt);
        Assert.Null(roster.ReviewedAt);
        Assert.Null(roster.ReviewComment);
    }

    [Fact]
    public void Compile_OverADraft_ReplacesIt()
    {
        var replacement = Draft(chainCode: "B");
        var roster = HalfYearRoster.Compile(NewDraft(), replacement, T1);

        Assert.Equal(RosterStatus.Draft, roster.Status);
        Assert.Same(replacement.Entries, roster.Entries);
        Assert.Equal(T1, roster.CompiledAt);
    }

    [Fact]
    public void Compile_OverAReturnedRoster_MakesAFreshDraft()
    {
        var roster = HalfYearRoster.Compile(Returned(), Draft(), T2);

        Assert.Equal(RosterStatus.Draft, roster.Status);
        Assert.Equal(T2, roster.CompiledAt);
        Assert.Null(roster.ReviewedAt);
        Assert.Null(roster.ReviewComment);
    }

    [Fact]
    public void Compile_OverAPublishedRoster_IsAConflict()
    {
        var published = Published();

        var error = Assert.Throws<DomainConflictException>(() => HalfYearRoster.Compile(published, Draft(), T2));
        Assert.Contains("2026H1", error.Message);
        Assert.Throws<DomainConflictException>(() => HalfYearRoster.EnsureCanCompile(published.Period, published.Status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(RosterStatus.Draft)]
    [InlineData(RosterStatus.Returned)]
    public void EnsureCanCompile_AllowsEverythingButPublished(RosterStatus? current)
    {
        HalfYearRoster.EnsureCanCompile(HalfYear.Parse("2026H1"), current);
    }

    [Fact]
    public void Compile_OverAnotherPeriodsRoster_IsAProgrammingError()
    {
        Assert.Throws<ArgumentException>(() => HalfYearRoster.Compile(NewDraft(), Draft("2026H2"), T1));
    }

    [Fact]
    public void Approve_ADraft_PublishesIt()
    {
        var draft = NewDraft();
        var published = draft.Approve("同意发布", T1);

        Assert.Equal(RosterStatus.Published, published.Status);
        Assert.Equal(T1, published.ReviewedAt);
        Assert.Equal("同意发布", published.ReviewComment);
        Assert.Same(draft.Entries, published.Entries);
        Assert.Equal(T0, published.CompiledAt);
        Assert.Equal(RosterStatus.Draft, draft.Status); // the old value is untouched
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Approve_WithoutAComment_IsFine(string? comment)
    {
        var published = NewDraft().Approve(comment, T1);

        Assert.Equal(RosterStatus.Published, published.Status);
        Assert.Null(published.ReviewComment);
    }

    [Fact]
    public void Approve_AReturnedRoster_IsAConflict()
    {
        Assert.Throws<DomainConflictException>(() => Returned().Approve(null, T2));
    }

    [Fact]
    public void Approve_APublishedRoster_IsAConflict()
    {
        Assert.Throws<DomainConflictException>(() => Published().Approve(null, T2));
    }

    [Fact]
    public void Approve_BeforeThePeriodStartsInShanghai_IsAConflict_AtItsStartIsFine()
    {
        // T0 is 00:00 on 1 January 2026 in Shanghai, the start of 2026H1.
        var draft = NewDraft();

        var error = Assert.Throws<DomainConflictException>(() => draft.Approve(null, T0 - Duration.FromSeconds(1)));

        Assert.Equal(RosterCodes.RosterNotStarted, error.Code);
        Assert.Equal(HalfYear.Parse("2026H1"), error.Args[0]);
        Assert.Equal(RosterStatus.Published, draft.Approve(null, T0).Status);
    }

    [Fact]
    public void Approve_CommentTooLong_IsAValidationError()
    {
        var error = Assert.Throws<DomainValidationException>(() => NewDraft().Approve(new string('长', 2001), T1));
        Assert.Equal("comment", error.Field);
    }

    [Fact]
    public void Return_ADraftWithAComment_ReturnsIt()
    {
        var returned = NewDraft().Return("请补充核心企业名单", T1);

        Assert.Equal(RosterStatus.Returned, returned.Status);
        Assert.Equal(T1, returned.ReviewedAt);
        Assert.Equal("请补充核心企业名单", returned.ReviewComment);
    }

    [Fact]
    public void Return_CommentOfExactlyTheLimit_IsAccepted()
    {
        var comment = new string('x', HalfYearRoster.MaxCommentLength);

        Assert.Equal(comment, NewDraft().Return(comment, T1).ReviewComment);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\n")]
    public void Return_WithoutAComment_IsAValidationError(string? comment)
    {
        var error = Assert.Throws<DomainValidationException>(() => NewDraft().Return(comment, T1));
        Assert.Equal("comment", error.Field);
    }

    [Fact]
    public void Return_CommentTooLong_IsAValidationError()
    {
        var error = Assert.Throws<DomainValidationException>(() => NewDraft().Return(new string('x', 2001), T1));
        Assert.Equal("comment", error.Field);
    }

    [Fact]
    public void Return_AReturnedRoster_IsAConflict()
    {
        Assert.Throws<DomainConflictException>(() => Returned().Return("again", T2));
    }

    [Fact]
    public void Return_APublishedRoster_IsAConflict()
    {
        Assert.Throws<DomainConflictException>(() => Published().Return("too late", T2));
    }

    [Fact]
    public void Restore_ChecksReviewFieldsAgainstTheStatus()
    {
        var entries = Draft().Entries;
        var period = HalfYear.Parse("2026H1");

        Assert.Equal(RosterStatus.Draft, HalfYearRoster.Restore(period, RosterStatus.Draft, entries, T0, null, null).Status);
        Assert.Equal(RosterStatus.Returned, HalfYearRoster.Restore(period, RosterStatus.Returned, entries, T0, T1, "why").Status);
        Assert.Equal(RosterStatus.Published, HalfYearRoster.Restore(period, RosterStatus.Published, entries, T0, T1, null).Status);

        Assert.Throws<ArgumentException>(() => HalfYearRoster.Restore(period, RosterStatus.Draft, entries, T0, T1, null));
        Assert.Throws<ArgumentException>(() => HalfYearRoster.Restore(period, RosterStatus.Returned, entries, T0, T1, null));
        Assert.Throws<ArgumentException>(() => HalfYearRoster.Restore(period, RosterStatus.Published, entries, T0, null, null));
        Assert.Throws<ArgumentException>(() => HalfYearRoster.Restore(period, (RosterStatus)42, entries, T0, T1, "x"));
    }

    [Fact]
    public void Restored_PublishedRoster_StillNeverChanges()
    {
        var restored = HalfYearRoster.Restore(HalfYear.Parse("2026H1"), RosterStatus.Published, Draft().Entries, T0, T1, null);

        Assert.Throws<DomainConflictException>(() => restored.Approve(null, T2));
        Assert.Throws<DomainConflictException>(() => restored.Return("no", T2));
        Assert.Throws<DomainConflictException>(() => HalfYearRoster.Compile(restored, Draft(), T2));
    }
}
