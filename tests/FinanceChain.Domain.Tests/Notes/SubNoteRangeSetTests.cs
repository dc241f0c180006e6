using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FinanceChain.Domain.Tests.Notes;

public class SubNoteRangeSetTests
{
    private static SubNoteRangeSet S(string text) => SubNoteRangeSet.Parse(text);

    [Fact]
    public void Of_MergesOverlappingAndAdjacentRanges_InAnyOrder()
    {
        var set = SubNoteRangeSet.Of(SubNoteRange.Create(11, 20), SubNoteRange.Create(1, 5), SubNoteRange.Create(6, 8), SubNoteRange.Create(15, 30));

        Assert.Equal("1-8,11-30", set.ToString());
        Assert.Equal(28, set.Count);
        Assert.Equal(Money.FromFen(28), set.Amount);
        Assert.Equal(set, S("11-30,1-8"));
    }

    [Theory]
    [InlineData("1-10", "5-20", "1-20", "5-10", "1-4")]
    [InlineData("1-10,21-30", "8-22", "1-30", "8-10,21-22", "1-7,23-30")]
    [InlineData("1-10", "11-20", "1-20", "", "1-10")]
    [InlineData("5-6", "1-100", "1-100", "5-6", "")]
    [InlineData("", "1-3", "1-3", "", "")]
    public void UnionIntersectExcept(string a, string b, string union, string intersect, string except)
    {
        Assert.Equal(union, S(a).Union(S(b)).ToString());
        Assert.Equal(intersect, S(a).Intersect(S(b)).ToString());
        Assert.Equal(except, S(a).Except(S(b)).ToString());
    }

    [Fact]
    public void TakeLowest_TakesAcrossRanges()
    {
        Assert.Equal("1-10,21-22", S("1-10,21-30").TakeLowest(12).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => S("1-10").TakeLowest(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => S("1-10").TakeLowest(0));
    }

    /// <summary>The operations agree with plain sets of unit numbers.</summary>
    [Property(MaxTest = 500)]
    public Property Operations_MatchAModelOfUnitNumbers() => Prop.ForAll(
        Arb.From(from a in Ranges from b in Ranges select (a, b)),
        pair =>
        {
            var (a, b) = pair;
            var setA = SubNoteRangeSet.Of(a);
            var setB = SubNoteRangeSet.Of(b);
            var unitsA = Units(a).ToHashSet();
            var unitsB = Units(b).ToHashSet();

            Assert.Equal(unitsA.Union(unitsB).Order(), Units(setA.Union(setB).Ranges));
            Assert.Equal(unitsA.Intersect(unitsB).Order(), Units(setA.Intersect(setB).Ranges));
            Assert.Equal(unitsA.Except(unitsB).Order(), Units(setA.Except(setB).Ranges));
            Assert.Equal(unitsA.Count, setA.Count);
            Assert.Equal(unitsA.IsSupersetOf(unitsB), setA.Contains(setB));
            Assert.Equal(unitsA.Overlaps(unitsB), setA.Overlaps(setB));
            for (var i = 1; i < setA.Ranges.Count; i++)
            {
                Assert.True(setA.Ranges[i - 1].To + 1 < setA.Ranges[i].From, "ranges are disjoint and not adjacent");
            }

            if (setA.Count > 0)
            {
                Assert.Equal(unitsA.Order().Take((int)Math.Min(3, setA.Count)), Units(setA.TakeLowest(Math.Min(3, setA.Count)).Ranges));
            }
        });

    private static readonly Gen<SubNoteRange[]> Ranges =
        Gen.ArrayOf(from start in Gen.Choose(1, 60) from length in Gen.Choose(1, 12) select SubNoteRange.Create(start, start + length - 1));

    private static List<long> Units(IEnumerable<SubNoteRange> ranges) =>
        ranges.SelectMany(r => Enumerable.Range((int)r.From, (int)r.Count).Select(u => (long)u)).Distinct().Order().ToList();
}
