using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Notes;

public class NoteLifecycleTests
{
    private static readonly LocalDate Due = new(2026, 6, 30);

    [Theory]
    [InlineData(NoteStatus.Outstanding, -1, NoteStatusView.Outstanding)]
    [InlineData(NoteStatus.Outstanding, 0, NoteStatusView.Outstanding)] // due today is not overdue yet
    [InlineData(NoteStatus.Outstanding, 1, NoteStatusView.Overdue)]
    [InlineData(NoteStatus.Settled, 1, NoteStatusView.Settled)]
    [InlineData(NoteStatus.Settled, 0, NoteStatusView.Settled)]
    public void View_IsOverdueOnlyWhenUnpaidPastDueDate(NoteStatus status, int daysAfterDue, NoteStatusView expected)
    {
        var today = Due.PlusDays(daysAfterDue);

        Assert.Equal(expected, NoteLifecycle.View(status, Due, today));
        Assert.Equal(expected == NoteStatusView.Overdue, NoteLifecycle.IsOverdue(status, Due, today));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    public void Settle_OnOrAfterDueDate_Settles(int daysAfterDue)
    {
        Assert.Equal(NoteStatus.Settled, NoteLifecycle.Settle(NoteStatus.Outstanding, Due, Due.PlusDays(daysAfterDue)));
    }

    [Fact]
    public void Settle_BeforeDueDate_IsConflict()
    {
        Assert.Throws<DomainConflictException>(() => NoteLifecycle.Settle(NoteStatus.Outstanding, Due, Due.PlusDays(-1)));
    }

    [Fact]
    public void Settle_Twice_IsConflict()
    {
        Assert.Throws<DomainConflictException>(() => NoteLifecycle.Settle(NoteStatus.Settled, Due, Due.PlusDays(1)));
    }

    [Fact]
    public void EnsureCanTransfer_BeforeDueDate_IsAllowed()
    {
        NoteLifecycle.EnsureCanTransfer(NoteStatus.Outstanding, Due, Due.PlusDays(-1));
    }

    [Theory]
    [InlineData(NoteStatus.Outstanding, 0)]
    [InlineData(NoteStatus.Outstanding, 5)]
    [InlineData(NoteStatus.Settled, 5)]
    [InlineData(NoteStatus.Settled, -5)]
    public void EnsureCanTransfer_SettledOrFromDueDate_IsConflict(NoteStatus status, int daysAfterDue)
    {
        Assert.Throws<DomainConflictException>(() => NoteLifecycle.EnsureCanTransfer(status, Due, Due.PlusDays(daysAfterDue)));
    }
}
