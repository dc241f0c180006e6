using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Notes;

public class SubNoteRangeTests
{
    [Fact]
    public void Create_ValidRange_HasCountAndAmount()
    {
        var range = SubNoteRange.Create(1, 15_000_025);

        Assert.Equal(1, range.From);
        Assert.Equal(15_000_025, range.To);
        Assert.Equal(15_000_025, range.Count);
        Assert.Equal(Money.FromYuan(150_000.25m), range.Amount);
    }

    [Fact]
    public void Create_SingleUnit_IsOneFen()
    {
        var range = SubNoteRange.Create(7, 7);

        Assert.Equal(1, range.Count);
        Assert.Equal(Money.FromFen(1), range.Amount);
    }

    [Theory]
    [InlineData(0, 5, "from")]
    [InlineData(-1, 5, "from")]
    [InlineData(6, 5, "to")]
    public void Create_InvalidBounds_IsValidationError(long from, long to, string field)
    {
        var error = Assert.Throws<DomainValidationException>(() => SubNoteRange.Create(from, to));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Create_PastLargestNote_IsValidationError()
    {
        Assert.Equal(Money.MaxValue.Fen, SubNoteRange.Create(1, SubNoteRange.MaxUnit).Count);
        var error = Assert.Throws<DomainValidationException>(() => SubNoteRange.Create(1, SubNoteRange.MaxUnit + 1));
        Assert.Equal("to", error.Field);
    }

    [Fact]
    public void OfCount_StartsAtFromAndHoldsCountUnits()
    {
        Assert.Equal(SubNoteRange.Create(101, 150), SubNoteRange.OfCount(101, 50));
        Assert.Throws<DomainValidationException>(() => SubNoteRange.OfCount(1, 0));
    }

    [Fact]
    public void ToString_IsFromDashTo()
    {
        Assert.Equal("1-15000025", SubNoteRange.Create(1, 15_000_025).ToString());
        Assert.Equal("15000026-50000000", SubNoteRange.Create(15_000_026, 50_000_000).ToString());
    }

    [Theory]
    [InlineData("1-15000025", 1, 15_000_025)]
    [InlineData("42-42", 42, 42)]
    public void Parse_ReadsWhatToStringWrites(string text, long from, long to)
    {
        var range = SubNoteRange.Parse(text);

        Assert.Equal(SubNoteRange.Create(from, to), range);
        Assert.Equal(text, range.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("-15")]
    [InlineData("1-")]
    [InlineData("a-b")]
    [InlineData("1 - 2")]
    public void Parse_Malformed_IsFormatError(string text)
    {
        Assert.Throws<FormatException>(() => SubNoteRange.Parse(text));
    }

    [Theory]
    [InlineData(1, 10, 10, 20, true)]
    [InlineData(1, 10, 5, 6, true)]
    [InlineData(5, 6, 1, 10, true)]
    [InlineData(1, 10, 11, 20, false)]
    [InlineData(11, 20, 1, 10, false)]
    public void Overlaps_SharesAtLeastOneUnit(long aFrom, long aTo, long bFrom, long bTo, bool expected)
    {
        var a = SubNoteRange.Create(aFrom, aTo);
        var b = SubNoteRange.Create(bFrom, bTo);

        Assert.Equal(expected, a.Overlaps(b));
        Assert.Equal(expected, b.Overlaps(a));
    }

    [Theory]
    [InlineData(1, 10, 11, 20, true)]
    [InlineData(11, 20, 1, 10, true)]
    [InlineData(1, 10, 12, 20, false)]
    [InlineData(1, 10, 10, 20, false)]
    public void IsAdjacentTo_TouchesWithoutGapOrOverlap(long aFrom, long aTo, long bFrom, long bTo, bool expected)
    {
        var a = SubNoteRange.Create(aFrom, aTo);
        var b = SubNoteRange.Create(bFrom, bTo);

        Assert.Equal(expected, a.IsAdjacentTo(b));
        Assert.Equal(expected, b.IsAdjacentTo(a));
    }

    [Fact]
    public void IsFollowedBy_OnlyInOrder()
    {
        var low = SubNoteRange.Create(1, 10);
        var high = SubNoteRange.Create(11, 20);

        Assert.True(low.IsFollowedBy(high));
        Assert.False(high.IsFollowedBy(low));
    }

    [Fact]
    public void Merge_AdjacentRanges_CoversBoth()
    {
        var merged = SubNoteRange.Create(11, 20).Merge(SubNoteRange.Create(1, 10));

        Assert.Equal(SubNoteRange.Create(1, 20), merged);
    }

    [Fact]
    public void Merge_RangesWithGap_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => SubNoteRange.Create(1, 10).Merge(SubNoteRange.Create(12, 20)));
    }
}
