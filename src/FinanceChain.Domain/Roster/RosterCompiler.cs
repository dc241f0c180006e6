namespace FinanceChain.Domain;

/// <summary>
/// Compiles a half-year roster from the current pairing and enterprise list. Pure and deterministic:
/// the same inputs, in any order, give the same draft.
/// </summary>
public static class RosterCompiler
{
    /// <summary>
    /// One entry per active chain, ordered by chain code (ordinal, then id). Each carries the chain's
    /// lead bank, its core enterprises, the lead bank's results in the period before
    /// <paramref name="period"/>, and flags for the reviewer.
    /// </summary>
    /// <exception cref="DomainValidationException"><paramref name="period"/> has no previous period (field <c>period</c>).</exception>
    /// <exception cref="ArgumentException">The inputs contradict themselves (duplicates, negative counts).</exception>
    public static RosterDraft Compile(HalfYear period, RosterInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (period == HalfYear.MinValue)
        {
            throw new DomainValidationException("period", RosterCodes.PeriodTooEarly, HalfYear.MinValue);
        }

        var previous = period.Previous;
        var chains = UniqueBy(inputs.Chains, c => c.ChainId, "chain");
        var pairings = UniqueBy(inputs.Pairings, p => p.ChainId, "lead-bank pairing for chain");
        var results = UniqueBy(inputs.PreviousResults, r => r.ChainId, "results row for chain");
        var dishonouring = UniqueBy(inputs.DishonouringAcceptors, o => o.EnterpriseId, "dishonouring acceptor");
        var outcomes = UniqueBy(inputs.NoteOutcomes ?? [], o => o.ChainId, "note outcomes row for chain");
        foreach (var row in results.Values)
        {
            CheckCounts(row);
        }

        foreach (var row in dishonouring.Values)
        {
            if (row.Dishonours < 1 || row.NoAnswers < 0 || row.NoAnswers > row.Dishonours)
            {
                throw new ArgumentException($"Dishonouring acceptor {row.EnterpriseId} must have at least one dishonour, and no more unanswered ones.", nameof(inputs));
            }
        }

        foreach (var row in outcomes.Values)
        {
            if (row.NotesPaid < 0 || row.NotesDishonoured < 0)
            {
                throw new ArgumentException($"Note outcomes for chain {row.ChainId} have a negative count.", nameof(inputs));
            }
        }

        ArgumentNullException.ThrowIfNull(inputs.CoreEnterprises);
        var coreByChain = inputs.CoreEnterprises
            .GroupBy(e => e.ChainId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var entries = chains.Values
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .ThenBy(c => c.ChainId, StringComparer.Ordinal)
            .Select(chain => CompileEntry(
                chain,
                pairings.GetValueOrDefault(chain.ChainId),
                coreByChain.GetValueOrDefault(chain.ChainId) ?? [],
                results.GetValueOrDefault(chain.ChainId),
                outcomes.GetValueOrDefault(chain.ChainId),
                dishonouring,
                previous))
            .ToArray();

        return new RosterDraft(period, Array.AsReadOnly(entries));
    }

    private static RosterEntry CompileEntry(
        RosterChainInput chain,
        RosterPairingInput? pairing,
        List<RosterCoreEnterpriseInput> coreRows,
        RosterResultsInput? resultsRow,
        RosterNoteOutcomesInput? outcomesRow,
        Dictionary<string, RosterDishonouringAcceptorInput> dishonouring,
        HalfYear previous)
    {
        var duplicate = coreRows.GroupBy(e => e.EnterpriseId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Enterprise {duplicate.Key} is listed twice as a core enterprise of chain {chain.ChainId}.", nameof(coreRows));
        }

        var core = coreRows
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ThenBy(e => e.EnterpriseId, StringComparer.Ordinal)
            .Select(e => new RosterCoreEnterprise(e.EnterpriseId, e.Name, e.CreditCode))
            .ToArray();

        var leadBank = pairing is null ? null : new RosterLeadBank(pairing.InstitutionId, pairing.InstitutionName, pairing.Since);

        // Results only count when they belong to the bank that is lead bank now.
        var metrics = leadBank is not null && resultsRow is not null
            && string.Equals(resultsRow.InstitutionId, leadBank.InstitutionId, StringComparison.Ordinal)
            ? new RosterMetrics(previous, resultsRow.OffersAccepted, resultsRow.AmountFinanced, resultsRow.NotesDiscounted, resultsRow.EnterprisesServed)
            : RosterMetrics.None(previous);
        metrics = metrics with { NotesPaid = outcomesRow?.NotesPaid ?? 0, NotesDishonoured = outcomesRow?.NotesDishonoured ?? 0 };

        var flags = new List<RosterFlag>();
        if (leadBank is null)
        {
            flags.Add(new RosterFlag(RosterFlagCode.NoLeadBank, [chain.Code, chain.Name]));
        }
        else if (metrics.OffersAccepted == 0 && metrics.NotesDiscounted == 0)
        {
            flags.Add(new RosterFlag(RosterFlagCode.LeadBankFinancedNothing, [leadBank.InstitutionName, chain.Code, chain.Name, previous]));
        }

        if (core.Length == 0)
        {
            flags.Add(new RosterFlag(RosterFlagCode.NoCoreEnterprise, [chain.Code, chain.Name]));
        }

        foreach (var enterprise in core)
        {
            if (dishonouring.TryGetValue(enterprise.EnterpriseId, out var dishonours))
            {
                flags.Add(new RosterFlag(
                    RosterFlagCode.CoreEnterpriseDishonouredNote,
                    [enterprise.Name, enterprise.CreditCode, dishonours.Dishonours, dishonours.NoAnswers, dishonours.FirstDishonouredOn, previous],
                    enterprise.EnterpriseId));
            }
        }

        return new RosterEntry(
            chain.ChainId,
            chain.Code,
            chain.Name,
            chain.Region,
            leadBank,
            Array.AsReadOnly(core),
            metrics,
            flags.AsReadOnly());
    }

    private static void CheckCounts(RosterResultsInput row)
    {
        if (row.OffersAccepted < 0 || row.NotesDiscounted < 0 || row.EnterprisesServed < 0)
        {
            throw new ArgumentException($"Results for chain {row.ChainId} have a negative count.", nameof(RosterInputs.PreviousResults));
        }
    }

    private static Dictionary<string, T> UniqueBy<T>(IEnumerable<T> rows, Func<T, string> key, string what)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var byKey = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            if (!byKey.TryAdd(key(row), row))
            {
                throw new ArgumentException($"More than one {what} {key(row)} was given.", nameof(rows));
            }
        }

        return byKey;
    }
}
