using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Localization;
using FinanceChain.Domain;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Api.Http;

/// <summary>The texts of the HTTP layer's own errors (exact input, header and rate limits): <c>HttpTexts.resx</c>.</summary>
[Texts]
public sealed class HttpTexts;

/// <summary>Codes of the HTTP layer's own errors; their texts are in <c>HttpTexts.resx</c>.</summary>
public static class HttpCodes
{
    /// <summary>A money value with more than 2 decimals, however it is written.</summary>
    public const string MoneyTooPrecise = "moneyTooPrecise";

    /// <summary>A money value too large to be an amount at all.</summary>
    public const string MoneyOutOfRange = "moneyOutOfRange";

    /// <summary>An enum value not written exactly as the contract writes it; {0} lists the values.</summary>
    public const string EnumValueNotExact = "enumValueNotExact";

    /// <summary>An instant that is not ISO-8601 UTC.</summary>
    public const string InstantInvalid = "instantInvalid";

    /// <summary>An instant outside what the service stores.</summary>
    public const string InstantOutOfRange = "instantOutOfRange";

    /// <summary>A date outside what the service stores.</summary>
    public const string DateOutOfRange = "dateOutOfRange";

    /// <summary>431: one header value is larger than the cap; {0} is the header, {1} the cap in bytes.</summary>
    public const string HeaderTooLarge = "headerTooLarge";

    /// <summary>429: too many failed authentications from one address; {0} is the number per minute.</summary>
    public const string AuthenticationFailuresExceeded = "authenticationFailuresExceeded";
}

/// <summary>
/// A JSON value that parses but is not acceptable, with the code and values of its error. System.Text.Json
/// adds the path; the problem-details handler reports it as a 400 keyed by that field.
/// </summary>
public sealed class JsonInputException(string code, params object?[] args) : JsonException(code)
{
    /// <summary>The error's code.</summary>
    public string Code { get; } = code;

    /// <summary>The values its text needs.</summary>
    public IReadOnlyList<object?> Args { get; } = args;
}

/// <summary>
/// What the service can store: instants and dates from 0001-01-01 to 9999-12-31 (UTC), the range of
/// SQL Server's <c>datetime2</c> and <c>date</c> and of .NET's <see cref="DateTime"/>. NodaTime reads years
/// from -9998, so everything read from a client is checked against this range before it reaches the database.
/// </summary>
public static class StorableRange
{
    /// <summary>The earliest instant stored: 0001-01-01T00:00:00Z.</summary>
    public static readonly Instant MinInstant = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));

    /// <summary>The latest instant stored: 9999-12-31T23:59:59.9999999Z.</summary>
    public static readonly Instant MaxInstant = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    /// <summary>The earliest date stored.</summary>
    public static readonly LocalDate MinDate = new(1, 1, 1);

    /// <summary>The latest date stored.</summary>
    public static readonly LocalDate MaxDate = new(9999, 12, 31);

    /// <summary>True when the instant can be stored.</summary>
    public static bool Contains(Instant instant) => instant >= MinInstant && instant <= MaxInstant;

    /// <summary>True when the date can be stored.</summary>
    public static bool Contains(LocalDate date) => date >= MinDate && date <= MaxDate;

    /// <summary>
    /// An optional instant from a query parameter: null when absent; 400 keyed by <paramref name="field"/> when it
    /// is not ISO-8601 UTC or lies outside what the service stores.
    /// </summary>
    public static Instant? QueryInstant(string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var result = InstantPattern.ExtendedIso.Parse(text);
        if (!result.Success)
        {
            throw new FieldValidationException(field, HttpCodes.InstantInvalid);
        }

        return Contains(result.Value) ? result.Value : throw new FieldValidationException(field, HttpCodes.InstantOutOfRange);
    }
}

/// <summary>
/// Reads every <see cref="decimal"/> of a request body, all of which are amounts in yuan, from the JSON token's
/// own text, so that nothing is rounded before it is checked: <c>0.0099999999999999999999999999999</c> has 31
/// decimals and is refused, where <see cref="decimal"/> would round it to 0.01. Exponents are read exactly too:
/// <c>1.2345e2</c> is 123.45 and accepted, <c>1e-3</c> is 0.001 and refused. Trailing zeros do not count
/// (<c>1.500</c> is 1.5). Range and sign are left to <see cref="YuanAttribute"/>, which sees the exact value.
/// </summary>
public sealed class ExactMoneyConverter : JsonConverter<decimal>
{
    // 1e13 yuan has 14 integer digits: anything longer is out of range whatever its digits.
    private const int MaxIntegerDigits = 14;
    private const int MaxDecimals = 2;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException();
        }

        var text = Encoding.ASCII.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        return Parse(text);
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    /// <summary>The exact value of a JSON number (as the JSON grammar writes it) with at most 2 decimals.</summary>
    internal static decimal Parse(string text)
    {
        var (integerDigits, decimals) = Shape(text);
        if (integerDigits > MaxIntegerDigits)
        {
            throw new JsonInputException(HttpCodes.MoneyOutOfRange, Money.MaxValue);
        }

        if (decimals > MaxDecimals)
        {
            throw new JsonInputException(HttpCodes.MoneyTooPrecise);
        }

        // At most 14 integer digits and 2 significant decimals: decimal holds the value exactly.
        return decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How many digits the value has before the point (leading zeros aside) and how many significant decimals
    /// after it (trailing zeros aside), from the text alone.
    /// </summary>
    internal static (long IntegerDigits, long Decimals) Shape(string text)
    {
        var i = text.StartsWith('-') ? 1 : 0;
        var digits = new StringBuilder();
        long pointAt = -1;
        for (; i < text.Length && text[i] is (>= '0' and <= '9') or '.'; i++)
        {
            if (text[i] == '.')
            {
                pointAt = digits.Length;
            }
            else
            {
                digits.Append(text[i]);
            }
        }

        if (pointAt < 0)
        {
            pointAt = digits.Length;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponentText = text[(i + 1)..];
            // More than 9 exponent digits cannot fit an amount unless the number is zero.
            if (!long.TryParse(exponentText.Length > 11 ? "" : exponentText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
            {
                exponent = exponentText.StartsWith('-') ? -1_000_000_000_000 : 1_000_000_000_000;
            }

            pointAt += exponent;
        }

        var all = digits.ToString();
        var first = all.IndexOfAny("123456789".ToCharArray());
        if (first < 0)
        {
            return (0, 0); // zero, however written
        }

        var last = all.LastIndexOfAny("123456789".ToCharArray());
        var integerDigits = Math.Max(0, pointAt - first);
        var decimals = Math.Max(0, last + 1 - pointAt);
        return (integerDigits, decimals);
    }
}

/// <summary>
/// Enums as the contract writes them, and only so: camelCase names matched exactly (<c>"admin"</c>, never
/// <c>"ADMIN"</c> nor <c>"Admin"</c>), never numbers. System.Text.Json's own string-enum converter reads names
/// without regard to case.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    /// <summary>The names of an enum's values as the contract writes them.</summary>
    public static IReadOnlyList<string> NamesOf(Type enumType) =>
        Enum.GetValues(enumType).Cast<Enum>().Select(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString())).ToList();

    private sealed class Converter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly FrozenDictionary<string, T> ByName =
            Enum.GetValues<T>().ToFrozenDictionary(EnumText.Of, v => v, StringComparer.Ordinal);

        private static readonly string Expected = string.Join(", ", ByName.Keys.Order(StringComparer.Ordinal));

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException();
            }

            return Find(reader.GetString());
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(EnumText.Of(value));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Find(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(EnumText.Of(value));

        private static T Find(string? name) =>
            name is not null && ByName.TryGetValue(name, out var value) ? value : throw new JsonInputException(HttpCodes.EnumValueNotExact, Expected);
    }
}

/// <summary>Instants as ISO-8601 UTC (<c>2026-07-01T00:00:00Z</c>) within what the service stores (<see cref="StorableRange"/>).</summary>
public sealed class StorableInstantConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var result = reader.TokenType == JsonTokenType.String ? InstantPattern.ExtendedIso.Parse(reader.GetString()!) : null;
        if (result is not { Success: true })
        {
            throw new JsonException();
        }

        return StorableRange.Contains(result.Value) ? result.Value : throw new JsonInputException(HttpCodes.InstantOutOfRange);
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
}

/// <summary>Dates as ISO <c>yyyy-MM-dd</c> within what the service stores (<see cref="StorableRange"/>).</summary>
public sealed class StorableDateConverter : JsonConverter<LocalDate>
{
    public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var result = reader.TokenType == JsonTokenType.String ? LocalDatePattern.Iso.Parse(reader.GetString()!) : null;
        if (result is not { Success: true })
        {
            throw new JsonException();
        }

        return StorableRange.Contains(result.Value) ? result.Value : throw new JsonInputException(HttpCodes.DateOutOfRange);
    }

    public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
}
