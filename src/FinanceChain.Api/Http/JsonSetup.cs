using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace FinanceChain.Api.Http;

/// <summary>JSON as the contract says: camelCase names and enums, ISO dates and instants, strict and exact input.</summary>
/// <remarks>
/// Input is read exactly: every decimal of a request body is an amount in yuan, read
/// from the token's text (<see cref="ExactMoneyConverter"/>); enum names match only as written
/// (<see cref="ExactEnumConverter"/>); instants and dates must lie within what the service stores
/// (<see cref="StorableRange"/>). Each refusal is a 400 keyed by the field.
/// </remarks>
public static class JsonSetup
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Unknown enum values, other spellings and numbers in place of enum names are rejected (400), never guessed.
        options.Converters.Add(new ExactEnumConverter());
        options.Converters.Add(new ExactMoneyConverter());
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        // Ahead of NodaTime's own converters, which read years the database cannot store.
        options.Converters.Insert(0, new StorableInstantConverter());
        options.Converters.Insert(0, new StorableDateConverter());
        // A missing required field or a null where a value is required is a 400, not a silent default.
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
    }
}
