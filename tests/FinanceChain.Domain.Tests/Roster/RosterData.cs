using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Domain.Tests.Roster;

/// <summary>Builds roster inputs: chains with lead banks, core enterprises, results, dishonours and note outcomes.</summary>
internal sealed class RosterData
{
    public static readonly Instant PairedAt = Instant.FromUtc(2025, 3, 1, 2, 0);

    private readonly List<RosterChainInput> _chains = [];
    private readonly List<RosterPairingInput> _pairings = [];
    private readonly List<RosterCoreEnterpriseInput> _core = [];
    private readonly List<RosterResultsInput> _results = [];
    private readonly List<RosterDishonouringAcceptorInput> _dishonouring = [];
    private readonly List<RosterNoteOutcomesInput> _outcomes = [];

    public RosterData Chain(string id, string code, string name, string region = "420000")
    {
        _chains.Add(new RosterChainInput(id, code, name, region));
        return this;
    }

    public RosterData Lead(string chainId, string institutionId, string name, Instant? since = null)
    {
        _pairings.Add(new RosterPairingInput(chainId, institutionId, name, since ?? PairedAt));
        return this;
    }

    public RosterData Core(string chainId, string enterpriseId, string name, string creditCode = "91420100MA4KXXXX0X")
    {
        _core.Add(new RosterCoreEnterpriseInput(chainId, enterpriseId, name, creditCode));
        return this;
    }

    public RosterData Results(string chainId, string institutionId, int offers, decimal yuan, int notes, int served)
    {
        _results.Add(new RosterResultsInput(chainId, institutionId, offers, Money.FromYuan(yuan), notes, served));
        return this;
    }

    public RosterData Dishonoured(string enterpriseId, int dishonours = 1, int noAnswers = 0, LocalDate? first = null)
    {
        _dishonouring.Add(new RosterDishonouringAcceptorInput(enterpriseId, dishonours, noAnswers, first ?? new LocalDate(2025, 12, 10)));
        return this;
    }

    public RosterData Outcomes(string chainId, int paid, int dishonoured)
    {
        _outcomes.Add(new RosterNoteOutcomesInput(chainId, paid, dishonoured));
        return this;
    }

    /// <summary>A healthy chain: a lead bank that financed something and one core enterprise.</summary>
    public RosterData HealthyChain(string id, string code, string name)
    {
        return Chain(id, code, name)
            .Lead(id, $"ins_{id}", $"Bank of {name}")
            .Core(id, $"ent_{id}", $"Core of {name}")
            .Results(id, $"ins_{id}", 3, 1_250_000.50m, 2, 4);
    }

    public RosterInputs Build() => new(_chains.ToArray(), _pairings.ToArray(), _core.ToArray(), _results.ToArray(), _dishonouring.ToArray(), _outcomes.ToArray());

    public RosterInputs BuildReversed()
    {
        static T[] Reversed<T>(List<T> list) => Enumerable.Reverse(list).ToArray();
        return new(Reversed(_chains), Reversed(_pairings), Reversed(_core), Reversed(_results), Reversed(_dishonouring), Reversed(_outcomes));
    }

    public RosterDraft Compile(string period = "2026H1") => RosterCompiler.Compile(HalfYear.Parse(period), Build());
}
