using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinanceChain.Domain;

/// <summary>
/// Reads and writes a <see cref="HalfYear"/> as its canonical string (<c>"2026H1"</c>), also as a
/// dictionary key. Attached to the type, so a period never serialises as an object.
/// </summary>
public sealed class HalfYearJsonConverter : JsonConverter<HalfYear>
{
    /// <inheritdoc />
    public override HalfYear Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw new JsonException("A period is a string such as \"2026H1\".");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, HalfYear value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }

    /// <inheritdoc />
    public override HalfYear ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString());

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, HalfYear value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.ToString());
    }

    private static HalfYear Parse(string? text) =>
        HalfYear.TryParse(text, out var period)
            ? period
            : throw new JsonException($"'{text}' is not a half-year period such as \"2026H1\".");
}
