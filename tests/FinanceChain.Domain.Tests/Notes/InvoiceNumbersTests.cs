using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Notes;

public class InvoiceNumbersTests
{
    [Theory]
    [InlineData("25442000000123456789", "25442000000123456789", InvoiceKind.FullyElectronic, null)]
    [InlineData(" 25442000000123456789 ", "25442000000123456789", InvoiceKind.FullyElectronic, null)]
    [InlineData("２５４４２００００００１２３４５６７８９", "25442000000123456789", InvoiceKind.FullyElectronic, null)] // full-width digits
    [InlineData("4403191130:01234567", "4403191130:01234567", InvoiceKind.Legacy, "4403191130")]      // 10-digit code
    [InlineData("044031900111:01234567", "044031900111:01234567", InvoiceKind.Legacy, "044031900111")] // 12-digit code
    [InlineData("044031900111 : 01234567", "044031900111:01234567", InvoiceKind.Legacy, "044031900111")]
    [InlineData("044031900111：01234567", "044031900111:01234567", InvoiceKind.Legacy, "044031900111")] // full-width colon
    public void TryParse_BothForms_GivesTheirKey(string text, string key, InvoiceKind kind, string? code)
    {
        Assert.True(InvoiceNumber.TryParse(text, out var invoice));
        Assert.Equal(key, invoice.Key);
        Assert.Equal(kind, invoice.Kind);
        Assert.Equal(code, invoice.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4200231130")]                 // a legacy code alone: which invoice?
    [InlineData("01234567")]                   // a legacy number alone
    [InlineData("0442000000012345678")]        // 19 digits
    [InlineData("254420000001234567890")]      // 21 digits
    [InlineData("044031900111012345678")]      // code and number run together (21 digits)
    [InlineData("04403190011:01234567")]       // 11-digit code
    [InlineData("044031900111:0123456")]       // 7-digit number
    [InlineData("044031900111:012345678")]     // 9-digit number
    [InlineData("044031900111:0123456A")]
    [InlineData("FP-2026-001")]
    [InlineData("4403191130:01234567:1")]
    [InlineData("2544200000012345678\t9")]
    public void TryParse_AnythingElse_IsFalse(string text)
    {
        Assert.False(InvoiceNumber.TryParse(text, out _));
    }

    [Fact]
    public void Validate_GoodList_ReturnsTheInvoicesInOrder()
    {
        var invoices = InvoiceNumbers.Validate(["25442000000123456789", "044031900111:01234567", "4403191130:01234567"]);

        Assert.Equal(["25442000000123456789", "044031900111:01234567", "4403191130:01234567"], invoices.Select(i => i.Key));
    }

    [Fact]
    public void Validate_Fifty_IsAccepted_FiftyOne_IsNot()
    {
        var fifty = Enumerable.Range(0, 50).Select(i => $"2544200000012345{i:D4}").ToArray();

        Assert.Equal(50, InvoiceNumbers.Validate(fifty).Count);
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate([.. fifty, "25442000000123459999"]));
        Assert.Equal(("invoiceNumbers", "invoiceNumbersTooMany"), (error.Field, error.Code));
    }

    [Fact]
    public void Validate_NullOrEmpty_IsValidationErrorOnTheList()
    {
        Assert.Equal("invoiceNumbers", Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(null)).Field);
        Assert.Equal("invoiceNumbersEmpty", Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate([])).Code);
    }

    [Theory]
    [InlineData(null, "invoiceNumberEmpty")]
    [InlineData("  ", "invoiceNumberEmpty")]
    [InlineData("No.12345678", "invoiceNumberForm")]
    public void Validate_ABadEntry_IsValidationErrorOnThatEntry(string? bad, string code)
    {
        var error = Assert.Throws<DomainValidationException>(() => InvoiceNumbers.Validate(["25442000000123456789", bad]));

        Assert.Equal("invoiceNumbers[1]", error.Field);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Validate_TheSameInvoiceTwice_HoweverWritten_IsDuplicate()
    {
        var error = Assert.Throws<DomainValidationException>(
            () => InvoiceNumbers.Validate(["044031900111:01234567", "25442000000123456789", "０４４０３１９００１１１ : 01234567"]));

        Assert.Equal("invoiceNumbers[2]", error.Field);
        Assert.Equal("invoiceNumberDuplicate", error.Code);
        Assert.Equal(new object?[] { "044031900111:01234567" }, error.Args);
    }

    [Fact]
    public void LegacyCodeAndNumber_AreNotTheSameInvoiceAsTheDigitsRunTogether()
    {
        // A 12-digit code and an 8-digit number make 20 digits, as a 数电票 number has: the colon keeps them apart.
        Assert.True(InvoiceNumber.TryParse("044031900111:01234567", out var legacy));
        Assert.True(InvoiceNumber.TryParse("04403190011101234567", out var electronic));

        Assert.NotEqual(legacy.Key, electronic.Key);
    }
}
