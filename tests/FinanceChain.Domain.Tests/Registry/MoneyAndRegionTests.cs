using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Registry;

public sealed class MoneyAndRegionTests
{
    [Theory]
    [InlineData("0.01", 1)]
    [InlineData("1250000.5", 125000050)]
    [InlineData("10000000000000", 1_000_000_000_000_000)]
    [InlineData("0", 0)]
    public void FromYuan_ExactFen(string yuan, long fen)
    {
        Assert.Equal(fen, Money.FromYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)).Fen);
    }

    [Theory]
    [InlineData("0.001", RegistryCodes.AmountTooManyDecimals)]
    [InlineData("-0.01", RegistryCodes.AmountNegative)]
    [InlineData("10000000000000.01", RegistryCodes.AmountTooLarge)]
    public void TryFromYuan_Refuses(string yuan, string reason)
    {
        Assert.False(Money.TryFromYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture), out _, out var error));
        Assert.Equal(reason, error.Code);
    }

    [Fact]
    public void Arithmetic_NeverGoesNegativeOrWraps()
    {
        Assert.Equal(Money.FromFen(3), Money.FromFen(1) + Money.FromFen(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Money.FromFen(1) - Money.FromFen(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Money.MaxValue + Money.FromFen(1));
        Assert.Equal("1250000.50", Money.FromFen(125000050).ToString());
    }

    [Theory]
    [InlineData("420000", "420100", true)]
    [InlineData("420000", "420111", true)]
    [InlineData("420100", "420111", true)]
    [InlineData("420100", "420200", false)]
    [InlineData("420100", "430100", false)]
    [InlineData("420111", "420111", true)]
    [InlineData("420111", "420112", false)]
    public void Region_CoversByPrefix(string region, string other, bool covers)
    {
        Assert.Equal(covers, RegionCode.Parse(region).Covers(RegionCode.Parse(other)));
    }

    [Theory]
    [InlineData("42010")]
    [InlineData("4201000")]
    [InlineData("42010A")]
    [InlineData("001000")]
    [InlineData(null)]
    public void Region_Invalid(string? text)
    {
        Assert.False(RegionCode.TryParse(text, out _));
    }
}
