using FinanceChain.Api.Database;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Matching;
using FinanceChain.Domain;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// The desks' words for the API's terms: product types, collateral, sizes and the states of requests and offers come
/// from the same texts the API's sentences use (<see cref="TermTexts"/>); the states of notes and receivables, and
/// the kinds of note events, from <see cref="DeskTexts"/>.
/// </summary>
public static class DeskWords
{
    public static string Term(this PageWords words, ProductType type) => Word(words, TermCodes.Of(type).Code);

    public static string Term(this PageWords words, Collateral collateral) => Word(words, TermCodes.Of(collateral).Code);

    public static string Term(this PageWords words, EnterpriseSize size) => Word(words, TermCodes.Of(size).Code);

    public static string Term(this PageWords words, FinancingRequestStatus status) => Word(words, "requestStatus" + status);

    public static string Term(this PageWords words, OfferStatus status) => Word(words, "offerStatus" + status);

    public static string Term(this PageWords words, NoteStatusView status) => Word(words, "page.noteStatus." + EnumText.Of(status));

    public static string Term(this PageWords words, ReceivableStatus status) => Word(words, "page.receivableStatus." + EnumText.Of(status));

    public static string Term(this PageWords words, Notes.NoteEventType type) => Word(words, "page.noteEvent." + EnumText.Of(type));

    /// <summary><c>年化 3.85 %</c>.</summary>
    public static string Rate(this PageWords words, int bps) => Formats.AnnualRate(bps, PageWords.Language);

    /// <summary><c>年化 3.45 % – 4.50 %</c>: a product's range of rates.</summary>
    public static string RateRange(this PageWords words, int minBps, int maxBps) =>
        minBps == maxBps ? words.Rate(minBps) : words.Text("page.rateRange", Formats.Rate(minBps), Formats.Rate(maxBps));

    public static string Yuan(this PageWords words, decimal yuan) => words.Yuan(Money.FromYuan(yuan));

    /// <summary>A term in days: <c>90 天</c>.</summary>
    public static string Days(this PageWords words, int days) => words.Text("page.days", days);

    /// <summary>A CSS class of a state's badge, so that open, accepted and refused things look different.</summary>
    public static string BadgeOf(string state) => state switch
    {
        "open" or "pending" or "registered" or "outstanding" or "offered" => "badge badge-draft",
        "accepted" or "confirmed" or "settled" or "financed" or "convertedToNote" => "badge badge-published",
        _ => "badge badge-returned",
    };

    private static string Word(PageWords words, string code) => words[code];
}
