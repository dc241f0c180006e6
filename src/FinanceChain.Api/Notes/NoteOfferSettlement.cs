using System.Data.Common;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Products;
using FinanceChain.Api.Receivables;
using FinanceChain.Domain;

namespace FinanceChain.Api.Notes;

/// <summary>
/// What accepting an offer does to the request's note and receivable, inside the accept transaction:
/// a <c>noteDiscount</c> offer discounts the offer's amount of the requester's note at the bank
/// (<see cref="NoteStore.DiscountAsync"/>) and returns the <see cref="DiscountResponse"/>; an offer on a request
/// with a receivable lends at most the product's advance ratio of what remains of it, for a term ending by its due
/// date, and an offer on a product that finances receivables marks it financed
/// (<see cref="ReceivableStore.MarkFinancedAsync"/>). A refusal (e.g. the requester no longer holds enough of
/// the note, or the receivable was used meanwhile: 409) rolls the whole acceptance back.
/// </summary>
public sealed class NoteOfferSettlement(NoteStore notes, ReceivableStore receivables) : IOfferSettlement
{
    public async Task<object?> OnAcceptedAsync(DbTransaction transaction, AcceptedOffer offer, Caller caller, CancellationToken cancellationToken)
    {
        // Days and terms count from the Shanghai business date of acceptance (the instant the offer store took from IClock).
        var acceptanceDate = BusinessDate.Of(offer.AcceptedAt);
        DiscountResponse? discount = null;
        if (offer.ProductType == ProductType.NoteDiscount && offer.NoteId is not null)
        {
            var quote = await notes.DiscountAsync(
                transaction, offer.NoteId, offer.EnterpriseId, offer.InstitutionId, offer.Amount, offer.RateBps, acceptanceDate, caller);
            // The days discounted are those left at acceptance; they must still lie in the product's term range.
            var product = await ProductStore.TermsAsync(transaction.Connection!, transaction, offer.ProductId);
            if (product is { Terms: var terms } && (quote.Days < terms.MinTermDays || quote.Days > terms.MaxTermDays))
            {
                throw new ConflictException("noteDiscountDaysOutsideProduct", quote.Days, terms.MinTermDays, terms.MaxTermDays);
            }

            discount = DiscountResponse.Of(offer.NoteId, quote);
        }

        if (offer.ReceivableId is not null)
        {
            // Checked again now: what remains of the receivable may have become notes since the offer was made.
            var financing = new ReceivableFinancing(offer.Amount, offer.TermDays, acceptanceDate, offer.ProductId);
            if (await FinancesReceivableAsync(transaction, offer.ProductId))
            {
                await receivables.MarkFinancedAsync(transaction, offer.ReceivableId, offer.EnterpriseId, offer.OfferId, financing, caller);
            }
            else
            {
                await ReceivableStore.CheckAdvanceAsync(transaction, offer.ReceivableId, financing);
            }
        }

        return discount;
    }

    /// <summary>
    /// Whether the product lends against the receivable itself: it requires a confirmed receivable, is
    /// receivables financing or factoring, or takes the receivable as collateral.
    /// </summary>
    private static async Task<bool> FinancesReceivableAsync(DbTransaction transaction, string productId)
    {
        var product = await ProductStore.TermsAsync(transaction.Connection!, transaction, productId);
        return product is { Terms: var terms }
            && (terms.RequiresConfirmedReceivable
                || terms.Type is ProductType.ReceivablesFinancing or ProductType.Factoring
                || terms.Collateral == Collateral.Receivable);
    }
}
