namespace FinanceChain.Api.Matching;

/// <summary>Settings of financing requests and matching (<c>Matching:*</c>).</summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>
    /// Days an open request stays open before it expires (default 30). An open or offered request whose
    /// time has run out is <c>expired</c>: it takes no more offers and no offer on it can be accepted.
    /// </summary>
    public int RequestLifetimeDays { get; set; } = 30;
}
