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
    [InlineData(NoteStatus.Dishonoured, 3, NoteStatusView.Dishonoured)]
    public void View_IsOverdueOnlyWhenUnpaidPastDueDate(NoteStatus status, int daysAfterDue, NoteStatusView expected)
    {
        var today = Due.PlusDays(daysAfterDue);

        Assert.Equal(expected, NoteLifecycle.View(status, Due, today));
        Assert.Equal(expected == NoteStatusView.Overdue, NoteLifecycle.IsOverdue(status, Due, today));
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
    [InlineData(NoteStatus.Dishonoured, 5)]
    public void EnsureCanTransfer_SettledOrFromDueDate_IsConflict(NoteStatus status, int daysAfterDue)
    {
        Assert.Throws<DomainConflictException>(() => NoteLifecycle.EnsureCanTransfer(status, Due, Due.PlusDays(daysAfterDue)));
    }
}
