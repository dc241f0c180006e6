using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Notes;

public class NoteTermsTests
{
    [Theory]
    [InlineData("2026-01-15", "2026-01-16")] // the shortest term: one day
    [InlineData("2026-01-15", "2026-07-15")] // exactly 6 months
    [InlineData("2026-03-31", "2026-09-30")] // Mar 31 + 6 months is clamped to Sep 30
    [InlineData("2025-08-31", "2026-02-28")] // clamped to the end of February
    [InlineData("2023-08-31", "2024-02-29")] // clamped to Feb 29 in a leap year
    public void Validate_WithinSixMonths_IsAccepted(string issue, string due)
    {
        NoteTerms.Validate(Date(issue), Date(due));
        Assert.True(NoteTerms.TryValidate(Date(issue), Date(due), out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("2026-01-15", "2026-07-16")] // one day past 6 months
    [InlineData("2026-03-31", "2026-10-01")]
    [InlineData("2025-08-31", "2026-03-01")] // the clamped limit is Feb 28, not Mar 3
    [InlineData("2023-08-31", "2024-03-01")]
    [InlineData("2026-01-15", "2027-01-15")] // the old one-year limit no longer applies
    public void Validate_PastSixMonths_IsValidationErrorOnDueDate(string issue, string due)
    {
        var error = Assert.Throws<DomainValidationException>(() => NoteTerms.Validate(Date(issue), Date(due)));

        Assert.Equal("dueDate", error.Field);
        Assert.Equal("noteDueDateBeyondMaxTerm", error.Code);
        Assert.Equal(new object?[] { NoteTerms.MaxTermMonths, NoteTerms.LatestDueDate(Date(issue)) }, error.Args);
    }

    [Theory]
    [InlineData("2026-01-15", "2026-01-15")] // due today
    [InlineData("2026-01-15", "2026-01-14")] // due in the past
    public void Validate_NotAfterIssueDate_IsValidationErrorOnDueDate(string issue, string due)
    {
        var error = Assert.Throws<DomainValidationException>(() => NoteTerms.Validate(Date(issue), Date(due)));

        Assert.Equal("dueDate", error.Field);
    }

    [Theory]
    [InlineData("2025-08-31", "2026-02-28")]
    [InlineData("2023-08-31", "2024-02-29")]
    [InlineData("2026-08-29", "2027-02-28")]
    [InlineData("2026-12-31", "2027-06-30")]
    [InlineData("2026-02-28", "2026-08-28")]
    public void LatestDueDate_ClampsToMonthEnd(string issue, string latest)
    {
        Assert.Equal(Date(latest), NoteTerms.LatestDueDate(Date(issue)));
    }

    private static LocalDate Date(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;
}
