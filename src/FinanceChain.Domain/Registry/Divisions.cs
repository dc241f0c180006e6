using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace FinanceChain.Domain;

/// <summary>One administrative division of the GB/T 2260 list.</summary>
/// <param name="Code">The six-digit code.</param>
/// <param name="Name">Its own name (<c>洪山区</c>).</param>
/// <param name="FullName">Its name with those of the province and prefecture it lies in (<c>湖北省武汉市洪山区</c>).</param>
public sealed record Division(RegionCode Code, string Name, string FullName);

/// <summary>
/// The GB/T 2260 administrative divisions at province, prefecture and county level: which six-digit codes
/// exist and what they are called. Immutable once read; <see cref="Gb2260"/> is the list shipped with the
/// service (its source and date head the data file <c>Registry/divisions.tsv</c>).
/// </summary>
/// <remarks>
/// A region code that matching compares by prefix (<see cref="RegionCode.Covers"/>) must first be a known
/// division: <c>420100</c> (武汉市) is, <c>420199</c> is not. Codes at the level of a province or prefecture
/// that the list does not name on their own (the <c>4290</c> group of county-level cities governed by Hubei
/// directly, the districts of a municipality such as <c>110100</c>) are not known either; their counties are.
/// </remarks>
public sealed class Divisions
{
    private static readonly Lazy<Divisions> Shipped = new(LoadShipped);

    private readonly FrozenDictionary<string, Division> _byCode;

    private Divisions(FrozenDictionary<string, Division> byCode) => _byCode = byCode;

    /// <summary>The list shipped with the service.</summary>
    public static Divisions Gb2260 => Shipped.Value;

    /// <summary>The number of divisions.</summary>
    public int Count => _byCode.Count;

    /// <summary>
    /// Reads a list of <c>code&lt;TAB&gt;name</c> lines (lines starting with <c>#</c> and blank lines are
    /// skipped). Full names are built from the province (<c>xx0000</c>) and prefecture (<c>xxxx00</c>) of each code.
    /// </summary>
    /// <exception cref="FormatException">A line is not a valid code and a name, or a code appears twice.</exception>
    public static Divisions Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var code = tab < 0 ? line : line[..tab];
            var name = tab < 0 ? "" : line[(tab + 1)..].Trim();
            if (!RegionCode.TryParse(code, out _) || name.Length == 0 || !names.TryAdd(code, name))
            {
                throw new FormatException($"Division list line {number} is not a new code and a name: '{line}'.");
            }
        }

        var divisions = new Dictionary<string, Division>(names.Count, StringComparer.Ordinal);
        foreach (var (code, name) in names)
        {
            var province = code[..2] + "0000";
            var prefecture = code[..4] + "00";
            var full = code == province ? name
                : code == prefecture ? names.GetValueOrDefault(province, "") + name
                : names.GetValueOrDefault(province, "") + names.GetValueOrDefault(prefecture, "") + name;
            divisions[code] = new Division(RegionCode.Parse(code), name, full);
        }

        return new Divisions(divisions.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>True when <paramref name="code"/> is a division of the list.</summary>
    public bool IsKnown(RegionCode code) => code.Value is not null && _byCode.ContainsKey(code.Value);

    /// <summary>True when <paramref name="text"/> is six digits naming a division of the list.</summary>
    public bool IsKnown(string? text) => text is not null && _byCode.ContainsKey(text);

    /// <summary>The division <paramref name="code"/>, if the list has it.</summary>
    public bool TryGet(string? code, [MaybeNullWhen(false)] out Division division)
    {
        if (code is null)
        {
            division = null;
            return false;
        }

        return _byCode.TryGetValue(code, out division);
    }

    /// <summary>The full name of <paramref name="code"/> (<c>湖北省武汉市洪山区</c>), or the code itself when the list does not have it.</summary>
    public string FullName(string code) => TryGet(code, out var division) ? division.FullName : code;

    private static Divisions LoadShipped()
    {
        using var stream = typeof(Divisions).Assembly.GetManifestResourceStream("FinanceChain.Domain.divisions.tsv")
            ?? throw new InvalidOperationException("The division list is missing from the assembly.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Parse(reader);
    }
}
