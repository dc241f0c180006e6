namespace FinanceChain.Domain;

/// <summary>
/// What changed between the last published roster and a later one: chains added and removed, lead
/// banks changed, core enterprises added and removed. Chains and enterprises are matched by id. Every
/// list is ordered by chain code (then chain id), enterprises by name (then id), all ordinal.
/// </summary>
/// <param name="FromPeriod">The published roster compared against, or null when none was published before.</param>
/// <param name="ToPeriod">The roster being compared.</param>
/// <param name="ChainsAdded">Chains on the new roster only.</param>
/// <param name="ChainsRemoved">Chains on the published roster only.</param>
/// <param name="LeadBankChanges">Chains on both whose lead bank is a different institution (or appeared, or went).</param>
/// <param name="CoreEnterpriseChanges">Chains on both whose core enterprises differ.</param>
public sealed record RosterDiff(
    HalfYear? FromPeriod,
    HalfYear ToPeriod,
    IReadOnlyList<RosterChainRef> ChainsAdded,
    IReadOnlyList<RosterChainRef> ChainsRemoved,
    IReadOnlyList<RosterLeadBankChange> LeadBankChanges,
    IReadOnlyList<RosterCoreEnterpriseChange> CoreEnterpriseChanges)
{
    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => ChainsAdded.Count == 0 && ChainsRemoved.Count == 0 && LeadBankChanges.Count == 0 && CoreEnterpriseChanges.Count == 0;

    /// <summary>
    /// The difference from <paramref name="previousPublished"/> (null: nothing published yet, so every
    /// chain is added) to <paramref name="current"/>, which may be in any status.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="previousPublished"/> is not published or does not come before <paramref name="current"/>.
    /// </exception>
    public static RosterDiff Between(HalfYearRoster? previousPublished, HalfYearRoster current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previousPublished is not null)
        {
            if (previousPublished.Status != RosterStatus.Published)
            {
                throw new ArgumentException($"The {previousPublished.Period} roster is not published.", nameof(previousPublished));
            }

            if (previousPublished.Period >= current.Period)
            {
                throw new ArgumentException($"{previousPublished.Period} does not come before {current.Period}.", nameof(previousPublished));
            }
        }

        var before = ById(previousPublished?.Entries ?? []);
        var after = ById(current.Entries);

        var added = Ordered(after.Values.Where(e => !before.ContainsKey(e.ChainId))).Select(RosterChainRef.Of).ToArray();
        var removed = Ordered(before.Values.Where(e => !after.ContainsKey(e.ChainId))).Select(RosterChainRef.Of).ToArray();

        var leadBankChanges = new List<RosterLeadBankChange>();
        var coreChanges = new List<RosterCoreEnterpriseChange>();
        foreach (var now in Ordered(after.Values.Where(e => before.ContainsKey(e.ChainId))))
        {
            var then = before[now.ChainId];
            if (!string.Equals(then.LeadBank?.InstitutionId, now.LeadBank?.InstitutionId, StringComparison.Ordinal))
            {
                leadBankChanges.Add(new RosterLeadBankChange(RosterChainRef.Of(now), then.LeadBank, now.LeadBank));
            }

            var coreAdded = Missing(now.CoreEnterprises, then.CoreEnterprises);
            var coreRemoved = Missing(then.CoreEnterprises, now.CoreEnterprises);
            if (coreAdded.Count > 0 || coreRemoved.Count > 0)
            {
                coreChanges.Add(new RosterCoreEnterpriseChange(RosterChainRef.Of(now), coreAdded, coreRemoved));
            }
        }

        return new RosterDiff(
            previousPublished?.Period,
            current.Period,
            Array.AsReadOnly(added),
            Array.AsReadOnly(removed),
            leadBankChanges.AsReadOnly(),
            coreChanges.AsReadOnly());
    }

    private static Dictionary<string, RosterEntry> ById(IEnumerable<RosterEntry> entries)
    {
        var byId = new Dictionary<string, RosterEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!byId.TryAdd(entry.ChainId, entry))
            {
                throw new ArgumentException($"Chain {entry.ChainId} is on the roster twice.", nameof(entries));
            }
        }

        return byId;
    }

    private static IEnumerable<RosterEntry> Ordered(IEnumerable<RosterEntry> entries) =>
        entries.OrderBy(e => e.ChainCode, StringComparer.Ordinal).ThenBy(e => e.ChainId, StringComparer.Ordinal);

    private static IReadOnlyList<RosterCoreEnterprise> Missing(IReadOnlyList<RosterCoreEnterprise> from, IReadOnlyList<RosterCoreEnterprise> other)
    {
        var ids = other.Select(e => e.EnterpriseId).ToHashSet(StringComparer.Ordinal);
        return Array.AsReadOnly(from
            .Where(e => !ids.Contains(e.EnterpriseId))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ThenBy(e => e.EnterpriseId, StringComparer.Ordinal)
            .ToArray());
    }
}

/// <summary>A chain named in a roster difference.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="ChainCode">The chain's code (on the later roster when it is on both).</param>
/// <param name="ChainName">The chain's name (on the later roster when it is on both).</param>
public sealed record RosterChainRef(string ChainId, string ChainCode, string ChainName)
{
    /// <summary>The chain of a roster entry.</summary>
    public static RosterChainRef Of(RosterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new RosterChainRef(entry.ChainId, entry.ChainCode, entry.ChainName);
    }
}

/// <summary>A chain whose lead bank changed.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="From">The lead bank on the published roster, or null when it had none.</param>
/// <param name="To">The lead bank now, or null when it has none.</param>
public sealed record RosterLeadBankChange(RosterChainRef Chain, RosterLeadBank? From, RosterLeadBank? To);

/// <summary>A chain whose core enterprises changed.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="Added">Core enterprises now that were not on the published roster.</param>
/// <param name="Removed">Core enterprises on the published roster that are no longer.</param>
public sealed record RosterCoreEnterpriseChange(
    RosterChainRef Chain,
    IReadOnlyList<RosterCoreEnterprise> Added,
    IReadOnlyList<RosterCoreEnterprise> Removed);
