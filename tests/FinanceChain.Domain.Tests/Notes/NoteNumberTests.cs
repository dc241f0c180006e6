using FinanceChain.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace FinanceChain.Domain.Tests.Notes;

public class NoteNumberTests
{
    private const string IssuerCode = "313521000011";
    private static readonly LocalDate IssueDate = new(2026, 3, 15);

    [Fact]
    public void Create_LaysOutKindIssuerDateSerialAndCheckDigit()
    {
        var number = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, IssueDate, 42);

        Assert.Equal(30, number.Value.Length);
        Assert.StartsWith("6" + IssuerCode + "20260315" + "00000042", number.Value, StringComparison.Ordinal);
        Assert.Equal(NoteNumber.CheckDigit(number.Value.AsSpan(0, 29)), number.Value[29]);
        Assert.Equal(NoteAcceptorKind.Commercial, number.AcceptorKind);
        Assert.Equal(IssuerCode, number.IssuerCode);
        Assert.Equal(IssueDate, number.IssueDate);
        Assert.Equal(42, number.Serial);
        Assert.Equal(number.Value, number.ToString());
        Assert.True(NoteNumber.IsValid(number.Value));
    }

    [Fact]
    public void Create_BankAcceptance_StartsWithFive()
    {
        Assert.StartsWith("5", NoteNumber.Create(NoteAcceptorKind.Bank, IssuerCode, IssueDate, 1).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDigit_IsLuhn()
    {
        // The textbook Luhn example: 7992739871 has check digit 3; leading zeros change nothing.
        Assert.Equal('3', NoteNumber.CheckDigit("0000000000000000000" + "7992739871"));
    }

    [Fact]
    public void IsValid_AnySingleDigitChanged_IsFalse()
    {
        var value = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, IssueDate, 12_345_678).Value;

        for (var position = 0; position < value.Length; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == value[position])
                {
                    continue;
                }

                var changed = value[..position] + digit + value[(position + 1)..];
                Assert.False(NoteNumber.IsValid(changed), $"{changed} should be refused");
            }
        }
    }

    [Fact]
    public void IsValid_AdjacentDigitsSwapped_IsFalse()
    {
        var value = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, IssueDate, 12_345_678).Value;
        var swapped = value[..22] + value[23] + value[22] + value[24..];

        Assert.NotEqual(value, swapped);
        Assert.False(NoteNumber.IsValid(swapped));
    }

    [Theory]
    [InlineData(null, "30 digits")]
    [InlineData("", "30 digits")]
    [InlineData("63135210000112026031500000042", "30 digits")]
    [InlineData("63135210000112026031500000042AB", "30 digits")]
    [InlineData("6313521000011202603150000004X1", "30 digits")]
    [InlineData("931352100001120260315000000420", "acceptor kind")]
    [InlineData("631352100001120261315000000420", "issue date")]
    public void TryParse_Malformed_GivesReason(string? text, string reason)
    {
        Assert.False(NoteNumber.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongCheckDigit_IsFormatError()
    {
        var value = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, IssueDate, 7).Value;
        var wrong = value[..29] + (char)('0' + ((value[29] - '0' + 1) % 10));

        var error = Assert.Throws<FormatException>(() => NoteNumber.Parse(wrong));
        Assert.Contains("check digit", error.Message, StringComparison.Ordinal);
        Assert.Equal(value, NoteNumber.Parse(value).Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_000_000)]
    public void Create_SerialOutOfRange_IsRefused(long serial)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, IssueDate, serial));
    }

    [Theory]
    [InlineData("31352100001")]
    [InlineData("3135210000111")]
    [InlineData("31352100001A")]
    public void Create_MalformedIssuerCode_IsRefused(string issuerCode)
    {
        Assert.Throws<ArgumentException>(
            () => NoteNumber.Create(NoteAcceptorKind.Commercial, issuerCode, IssueDate, 1));
    }

    [Fact]
    public void Create_LargestSerial_Fits()
    {
        var number = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, IssueDate, NoteNumber.MaxSerial);

        Assert.Equal(NoteNumber.MaxSerial, number.Serial);
    }

    [Property(MaxTest = 300)]
    public Property Create_DifferentSerials_GiveDifferentValidNumbers() => Prop.ForAll(
        Arb.From(
            from a in Gen.Choose(1, (int)NoteNumber.MaxSerial)
            from b in Gen.Choose(1, (int)NoteNumber.MaxSerial)
            from dayOffset in Gen.Choose(0, 3_650)
            select (a, b, date: new LocalDate(2023, 1, 1).PlusDays(dayOffset))),
        input =>
        {
            var first = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, input.date, input.a);
            var second = NoteNumber.Create(NoteAcceptorKind.Commercial, IssuerCode, input.date, input.b);

            Assert.True(NoteNumber.IsValid(first.Value));
            Assert.Equal(input.date, first.IssueDate);
            Assert.Equal(input.a, first.Serial);
            Assert.Equal(input.a == input.b, first == second);
        });
}
