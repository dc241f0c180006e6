using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Notes;

public class InvoiceNumbersTests
{
    [Fact]
    public void Validate_GoodList_ReturnsTrimmedNumbersInOrder()
    {
        var numbers = InvoiceNumbers.Validate([" 4200231130 ", "04200231131", "No.12345678"]);

        Assert.Equal(["4200231130", "04200231131", "No.12345678"], numbers);
    }

    [Fact]
    public void Validate_FiftyNumbersOfFiftyCharacters_IsAccepted()
    {
        var numbers = Enumerable.Range(0, 50).Select(i => i.ToString("D50", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        Assert.Equal(50, InvoiceNumbers.Validate(numbers).Count);
    }

    [Fact]
    public void Validate_Null_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(null));

        Assert.Equal("invoiceNumbers", error.Field);
    }

    [Fact]
    public void Validate_Empty_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate([]));

        Assert.Equal("invoiceNumbers", error.Field);
    }

    [Fact]
    public void Validate_FiftyOne_IsRefused()
    {
        var numbers = Enumerable.Range(1, 51).Select(i => $"INV{i}").ToArray();

        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(numbers));

        Assert.Equal("invoiceNumbers", error.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Validate_BlankNumber_IsRefusedWithItsIndex(string? blank)
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(["INV1", blank]));

        Assert.Equal("invoiceNumbers[1]", error.Field);
    }

    [Fact]
    public void Validate_FiftyOneCharacters_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate([new string('1', 51)]));

        Assert.Equal("invoiceNumbers[0]", error.Field);
    }

    [Fact]
    public void Validate_ControlCharacter_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(["INV\n1"]));

        Assert.Equal("invoiceNumbers[0]", error.Field);
    }

    [Theory]
    [InlineData("INV1", "INV1")]
    [InlineData("INV1", " INV1 ")]
    [InlineData("inv1", "INV1")]
    public void Validate_Duplicate_IsRefused(string first, string second)
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate([first, "INV2", second]));

        Assert.Equal("invoiceNumbers[2]", error.Field);
    }
}

public class InvoiceNumberKeyTests
{
    [Theory]
    [InlineData("fp-001", "FP-001")]
    [InlineData(" FP-001 ", "FP-001")]
    [InlineData("ＦＰ－００１", "FP-001")]
    [InlineData("４２００２３１１３０", "4200231130")]
    public void Key_IgnoresCaseWidthAndPadding(string number, string key) => Assert.Equal(key, InvoiceNumbers.Key(number));

    [Fact]
    public void Validate_SameNumberInFullWidth_IsADuplicate()
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(["4200231130", "４２００２３１１３０"]));

        Assert.Equal("invoiceNumbers[1]", error.Field);
    }
}
