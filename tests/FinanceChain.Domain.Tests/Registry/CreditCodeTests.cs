using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Registry;

public sealed class CreditCodeTests
{
    // Published codes of real companies (public registration data), used only as check-character fixtures.
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000100006485K")]
    public void Parse_KnownValidCode_Succeeds(string text)
    {
        Assert.True(CreditCode.TryParse(text, out var code, out var error), error?.ToString());
        Assert.Equal(text, code.Value);
    }

    [Fact]
    public void Parse_LowerCase_IsNormalisedToUpperCase()
    {
        var code = CreditCode.Parse("91350100m000100y43");
        Assert.Equal("91350100M000100Y43", code.Value);
    }

    [Theory]
    [InlineData("91350100M000100Y44")]
    [InlineData("91350100M000100Y4Y")]
    public void Parse_WrongCheckCharacter_FailsNamingTheExpectedOne(string text)
    {
        Assert.False(CreditCode.TryParse(text, out _, out var error));
        Assert.Equal(RegistryCodes.CreditCodeCheck, error.Code);
        Assert.Equal(["3"], error.Args);
    }

    [Theory]
    [InlineData("I1350100M000100Y43", 'I')]
    [InlineData("91350100O000100Y43", 'O')]
    [InlineData("91350100S000100Y43", 'S')]
    [InlineData("91350100V000100Y43", 'V')]
    [InlineData("91350100Z000100Y43", 'Z')]
    [InlineData("91350100-000100Y43", '-')]
    [InlineData("913501001000100Y4 ", ' ')]
    public void Parse_CharacterOutsideCharset_Fails(string text, char bad)
    {
        Assert.False(CreditCode.TryParse(text, out _, out var error));
        Assert.Equal(RegistryCodes.CreditCodeCharacter, error.Code);
        Assert.Equal(bad.ToString(), error.Args[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y433")]
    public void Parse_WrongLength_Fails(string? text)
    {
        Assert.False(CreditCode.TryParse(text, out _, out var error));
        Assert.Equal(RegistryCodes.CreditCodeLength, error.Code);
    }

    [Fact]
    public void CheckCharacter_CanBeZero_AndCompleteRoundTrips()
    {
        // Search a prefix whose check value is 0, the (31 - 0) mod 31 edge of the formula.
        for (var serial = 0; serial < 1000; serial++)
        {
            var first17 = $"91420100{738000000 + serial}";
            if (CreditCode.CheckCharacter(first17) == '0')
            {
                Assert.Equal(first17 + "0", CreditCode.Complete(first17).Value);
                return;
            }
        }

        Assert.Fail("No prefix with check character 0 found.");
    }

    [Fact]
    public void RegionCode_IsCharactersThreeToEight()
    {
        Assert.Equal("430100", CreditCode.Complete("91430100738000001").RegionCode);
    }

    [Fact]
    public void Parse_Throws_WithReason()
    {
        var e = Assert.Throws<FormatException>(() => CreditCode.Parse("91350100M000100Y44"));
        Assert.Contains(RegistryCodes.CreditCodeCheck, e.Message);
    }
}
