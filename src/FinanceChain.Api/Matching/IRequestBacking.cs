using FinanceChain.Api.Errors;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>What the note and receivable named by a financing request were found to be.</summary>
/// <param name="HoldsNote">True when the request names a supply-chain note the requester holds (note discount needs it).</param>
/// <param name="HasConfirmedReceivable">True when the request names a receivable of the requester that its debtor has confirmed.</param>
/// <param name="NoteDueDate">The due date of the note the request names (null when none): a discount runs until it.</param>
public sealed record BackingFacts(bool HoldsNote, bool HasConfirmedReceivable, LocalDate? NoteDueDate = null)
{
    /// <summary>No note and no confirmed receivable.</summary>
    public static BackingFacts None { get; } = new(false, false);
}

/// <summary>
/// Checks the note and receivable a financing request names against the notes and receivables
/// registry. Called by <see cref="FinancingRequestStore.CreateAsync"/> before the request is stored.
/// </summary>
public interface IRequestBacking
{
    /// <summary>
    /// The facts matching needs about <paramref name="receivableId"/> and <paramref name="noteId"/> (either
    /// may be null). A named receivable must be usable for financing and a named note usable for discount:
    /// anything else is refused rather than stored as a request that can never be financed on it.
    /// </summary>
    /// <exception cref="FieldValidationException">
    /// On <c>receivableId</c> when no such receivable exists, it is not owed to <paramref name="enterpriseId"/>,
    /// or it is not confirmed or already used; on <c>noteId</c> when no such note exists,
    /// <paramref name="enterpriseId"/> holds none of it, or it is settled or due.
    /// </exception>
    Task<BackingFacts> CheckAsync(string enterpriseId, string? receivableId, string? noteId, CancellationToken cancellationToken);
}

/// <summary>
/// The backing check while the service has no notes or receivables: any note or receivable named is
/// unknown (400). The notes feature registers the real check in its place.
/// </summary>
public sealed class NoRequestBacking : IRequestBacking
{
    public Task<BackingFacts> CheckAsync(string enterpriseId, string? receivableId, string? noteId, CancellationToken cancellationToken)
    {
        if (receivableId is not null)
        {
            throw new FieldValidationException("receivableId", MatchingApiCodes.ReceivableNotYours);
        }

        if (noteId is not null)
        {
            throw new FieldValidationException("noteId", MatchingApiCodes.NoteNotHeld);
        }

        return Task.FromResult(BackingFacts.None);
    }
}
