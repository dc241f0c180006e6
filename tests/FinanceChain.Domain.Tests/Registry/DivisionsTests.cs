using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Registry;

public sealed class DivisionsTests
{
    [Theory]
    [InlineData("420000", "湖北省")]
    [InlineData("420100", "湖北省武汉市")]
    [InlineData("420111", "湖北省武汉市洪山区")]
    [InlineData("429005", "湖北省潜江市")]
    [InlineData("430100", "湖南省长沙市")]
    [InlineData("110101", "北京市东城区")]
    public void FullName_ProvincePrefectureCounty(string code, string name) =>
        Assert.Equal(name, Divisions.Gb2260.FullName(code));

    [Theory]
    [InlineData("420000", true)]
    [InlineData("420100", true)]
    [InlineData("420111", true)]
    [InlineData("420199", false)]
    [InlineData("429900", false)]
    [InlineData("990000", false)]
    [InlineData("42010", false)]
    [InlineData(null, false)]
    public void IsKnown_OnlyDivisionsOfTheList(string? code, bool known) =>
        Assert.Equal(known, Divisions.Gb2260.IsKnown(code));

    [Fact]
    public void Gb2260_HasEveryProvinceAndThousandsOfCounties()
    {
        Assert.InRange(Divisions.Gb2260.Count, 3000, 4000);
        Assert.All(new[] { "110000", "310000", "420000", "430000", "650000", "710000", "810000", "820000" }, c => Assert.True(Divisions.Gb2260.IsKnown(c), c));
    }

    [Fact]
    public void Parse_DuplicateOrBadLine_Throws()
    {
        Assert.Throws<FormatException>(() => Divisions.Parse(new StringReader("420000\t湖北省\n420000\t湖北\n")));
        Assert.Throws<FormatException>(() => Divisions.Parse(new StringReader("4200\t湖北省\n")));
        Assert.Throws<FormatException>(() => Divisions.Parse(new StringReader("420000\n")));
    }

    [Fact]
    public void Parse_SkipsCommentsAndBlankLines() =>
        Assert.Equal(1, Divisions.Parse(new StringReader("# source\n\n420000\t湖北省\n")).Count);
}
