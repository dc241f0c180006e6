using System.Globalization;
using System.Text;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Roster;

public class RosterCsvTests
{
    private const string Header =
        "period,chainCode,chainName,region,leadBank,leadBankSince,coreEnterprises,metricsPeriod," +
        "offersAccepted,amountFinanced,notesDiscounted,enterprisesServed,flags\r\n";

    private static HalfYearRoster Roster(RosterData data, string period = "2026H1") =>
        HalfYearRoster.Compile(null, data.Compile(period), Instant.FromUtc(2025, 12, 31, 16, 0));

    private static string[] Lines(string csv) => csv.Split("\r\n");

    [Fact]
    public void Write_HeaderThenOneRowPerChain_WithCrlf()
    {
        var roster = Roster(new RosterData()
            .Chain("c1", "HB-01", "特色淡水产品(小龙虾)")
            .Lead("c1", "ins_abc", "中国农业银行湖北省分行", Instant.FromUtc(2025, 3, 1, 2, 0))
            .Core("c1", "e1", "湖北莱克水产食品股份有限公司")
            .Results("c1", "ins_abc", 12, 35_600_000.5m, 4, 9)
            .Chain("c2", "HB-02", "蔬菜(香菇)"));

        var csv = RosterCsv.Write(roster);

        Assert.Equal(
            Header +
            "2026H1,HB-01,特色淡水产品(小龙虾),420000,中国农业银行湖北省分行,2025-03-01,湖北莱克水产食品股份有限公司,2025H2,12,35600000.50,4,9,\r\n" +
            "2026H1,HB-02,蔬菜(香菇),420000,,,,2025H2,0,0.00,0,0,noLeadBank; noCoreEnterprise\r\n",
            csv);
    }

    [Fact]
    public void Write_LeadBankSince_IsTheShanghaiDate()
    {
        // 2025-06-30T16:30Z is 1 July 00:30 in Shanghai.
        var roster = Roster(new RosterData().Chain("c1", "A", "a").Lead("c1", "i", "b", Instant.FromUtc(2025, 6, 30, 16, 30)));

        Assert.Equal("2025-07-01", Lines(RosterCsv.Write(roster))[1].Split(',')[5]);
    }

    [Fact]
    public void Write_SeveralCoreEnterprisesAndFlags_JoinedWithSemicolons()
    {
        var roster = Roster(new RosterData()
            .Chain("c1", "A", "工程机械")
            .Core("c1", "e1", "三一重工股份有限公司")
            .Core("c1", "e2", "中联重科股份有限公司")
            .Dishonoured("e2"));

        var fields = Lines(RosterCsv.Write(roster))[1].Split(',');

        Assert.Equal("三一重工股份有限公司; 中联重科股份有限公司", fields[6]);
        Assert.Equal("noLeadBank; coreEnterpriseDishonouredNote", fields[12]);
    }

    [Fact]
    public void Write_WithoutFlags_DropsTheFlagsColumn()
    {
        var roster = Roster(new RosterData()
            .Chain("c1", "A", "工程机械")
            .Core("c1", "e1", "中联重科股份有限公司")
            .Dishonoured("e1"));

        var lines = Lines(RosterCsv.Write(roster.Period, roster.Entries, includeFlags: false));

        Assert.Equal(string.Join(',', RosterCsv.PublicColumns), lines[0]);
        Assert.DoesNotContain("flags", lines[0]);
        Assert.Equal(12, lines[1].Split(',').Length);
        Assert.DoesNotContain("coreEnterpriseDishonouredNote", lines[1]);
        Assert.DoesNotContain("noLeadBank", lines[1]);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("line1\r\nline2", "\"line1\r\nline2\"")]
    [InlineData("湖北省，武汉市", "湖北省，武汉市")] // a full-width comma is not a separator
    [InlineData(" padded ", " padded ")]
    public void Field_QuotesAsRfc4180Says(string? value, string expected)
    {
        Assert.Equal(expected, RosterCsv.Field(value));
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+86 27 1234", "'+86 27 1234")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("\rCR", "\"'\rCR\"")]
    [InlineData("＝1+2", "'＝1+2")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("中-铁", "中-铁")]
    public void Field_NeutralisesFormulas(string value, string expected)
    {
        Assert.Equal(expected, RosterCsv.Field(value));
    }

    [Fact]
    public void Write_HostileNames_AreQuotedAndNeutralised()
    {
        var roster = Roster(new RosterData()
            .Chain("c1", "A", "=cmd|' /C calc'!A0")
            .Lead("c1", "i", "Bank, \"Quoted\"\nLtd")
            .Core("c1", "e1", "@evil"));

        var csv = RosterCsv.Write(roster);

        Assert.Contains(",'=cmd|' /C calc'!A0,", csv);
        Assert.Contains(",\"Bank, \"\"Quoted\"\"\nLtd\",", csv);
        Assert.Contains(",'@evil,", csv);
        Assert.Equal(3, csv.Split("\r\n").Length); // header, one row, and the empty rest after the last CRLF
    }

    [Fact]
    public void Write_AmountsUseTheInvariantCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var roster = Roster(new RosterData().HealthyChain("c1", "A", "a"));

            Assert.Contains(",1250000.50,", RosterCsv.Write(roster));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Write_EmptyRoster_IsTheHeaderAlone()
    {
        Assert.Equal(Header, RosterCsv.Write(Roster(new RosterData())));
    }

    [Fact]
    public void Write_ToATextWriter_GivesTheSameText()
    {
        var roster = Roster(new RosterData().HealthyChain("c1", "A", "汽车"));
        using var writer = new StringWriter();

        RosterCsv.Write(roster, writer);

        Assert.Equal(RosterCsv.Write(roster), writer.ToString());
    }

    [Fact]
    public void ToUtf8WithBom_StartsWithTheBom_ThenUtf8()
    {
        var roster = Roster(new RosterData().HealthyChain("c1", "A", "集成电路"));

        var bytes = RosterCsv.ToUtf8WithBom(roster);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(RosterCsv.Write(roster), new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(RosterCsv.Write(roster), Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'));
        Assert.True(bytes.AsSpan(3).IndexOf("集成电路"u8) >= 0);
    }

    [Fact]
    public void FileNameAndContentType()
    {
        Assert.Equal("roster-2026H2.csv", RosterCsv.FileName(HalfYear.Parse("2026H2")));
        Assert.StartsWith("text/csv", RosterCsv.ContentType);
    }
}
