using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Notes;

public class ReceivableTransitionsTests
{
    [Fact]
    public void Confirm_Registered_IsConfirmed()
    {
        Assert.Equal(ReceivableStatus.Confirmed, ReceivableStatus.Registered.Confirm());
    }

    [Theory]
    [InlineData(ReceivableStatus.Confirmed)]
    [InlineData(ReceivableStatus.Financed)]
    [InlineData(ReceivableStatus.ConvertedToNote)]
    public void Confirm_AnythingButRegistered_IsConflict(ReceivableStatus status)
    {
        Assert.Throws<DomainConflictException>(() => status.Confirm());
    }

    [Fact]
    public void Finance_Confirmed_IsFinanced()
    {
        Assert.Equal(ReceivableStatus.Financed, ReceivableStatus.Confirmed.Finance());
    }

    [Theory]
    [InlineData(ReceivableStatus.Registered)]
    [InlineData(ReceivableStatus.Financed)]
    [InlineData(ReceivableStatus.ConvertedToNote)]
    public void Finance_UnconfirmedOrAlreadyUsed_IsConflict(ReceivableStatus status)
    {
        Assert.Throws<DomainConflictException>(() => status.Finance());
    }

    [Fact]
    public void ConvertToNote_ConfirmedUpToItsAmount_IsConverted()
    {
        var amount = Money.FromYuan(1_000_000m);

        Assert.Equal(ReceivableStatus.ConvertedToNote, ReceivableStatus.Confirmed.ConvertToNote(amount, amount));
        Assert.Equal(ReceivableStatus.ConvertedToNote, ReceivableStatus.Confirmed.ConvertToNote(amount, Money.FromYuan(600_000m)));
    }

    [Theory]
    [InlineData(ReceivableStatus.Registered)]
    [InlineData(ReceivableStatus.Financed)]
    [InlineData(ReceivableStatus.ConvertedToNote)]
    public void ConvertToNote_UnconfirmedOrAlreadyUsed_IsConflict(ReceivableStatus status)
    {
        var amount = Money.FromYuan(1_000m);

        Assert.Throws<DomainConflictException>(() => status.ConvertToNote(amount, amount));
    }

    [Fact]
    public void ConvertToNote_MoreThanTheReceivable_IsValidationErrorOnAmount()
    {
        var error = Assert.Throws<DomainValidationException>(
            () => ReceivableStatus.Confirmed.ConvertToNote(Money.FromYuan(1_000m), Money.FromYuan(1_000.01m)));

        Assert.Equal("amount", error.Field);
    }

    [Fact]
    public void ConfirmedReceivable_BacksOneUseOnly()
    {
        var afterNote = ReceivableStatus.Registered.Confirm().ConvertToNote(Money.FromYuan(10m), Money.FromYuan(10m));
        var afterFinancing = ReceivableStatus.Registered.Confirm().Finance();

        Assert.Throws<DomainConflictException>(() => afterNote.Finance());
        Assert.Throws<DomainConflictException>(() => afterNote.ConvertToNote(Money.FromYuan(10m), Money.FromYuan(1m)));
        Assert.Throws<DomainConflictException>(() => afterFinancing.ConvertToNote(Money.FromYuan(10m), Money.FromYuan(1m)));
        Assert.Throws<DomainConflictException>(() => afterFinancing.Finance());
    }

    [Theory]
    [InlineData(ReceivableStatus.Registered, false)]
    [InlineData(ReceivableStatus.Confirmed, true)]
    [InlineData(ReceivableStatus.Financed, false)]
    [InlineData(ReceivableStatus.ConvertedToNote, false)]
    public void IsAvailable_OnlyWhenConfirmedAndUnused(ReceivableStatus status, bool expected)
    {
        Assert.Equal(expected, status.IsAvailable());
    }

    [Fact]
    public void UnknownStatus_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ReceivableStatus)42).Finance());
    }
}
