namespace FinanceChain.Domain;

/// <summary>Opaque, time-ordered ids with a short prefix naming the kind of thing (<c>chn_…</c>).</summary>
public static class Ids
{
    /// <summary>A new id such as <c>prd_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f</c>.</summary>
    public static string New(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";
}
