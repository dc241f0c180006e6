using FinanceChain.Domain.Webhooks;

namespace FinanceChain.Domain.Tests.Webhooks;

/// <summary>The test vectors of the Standard Webhooks specification's reference libraries.</summary>
public sealed class WebhookSignatureTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecPayload = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_SpecificationVector_GivesTheSpecificationsSignature()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(WebhookSecret.Parse(SpecSecret), SpecId, SpecTimestamp, SpecPayload));
    }

    [Fact]
    public void Parse_SecretWithoutPrefix_IsTheSameKey()
    {
        var withPrefix = WebhookSecret.Parse(SpecSecret);
        var without = WebhookSecret.Parse(SpecSecret["whsec_".Length..]);
        Assert.True(withPrefix.Key.SequenceEqual(without.Key));
        Assert.Equal(SpecSecret, without.ToString());
    }

    [Fact]
    public void Verify_SpecificationVector_IsValid()
    {
        Assert.True(WebhookSignature.Verify(WebhookSecret.Parse(SpecSecret), SpecId, SpecTimestamp, SpecPayload, SpecSignature));
    }

    [Fact]
    public void Verify_SeveralSignatures_OneValidSuffices()
    {
        // As in the specification's multi-signature test: other versions and stale keys beside the valid one.
        var header = string.Join(' ',
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            SpecSignature,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");
        Assert.True(WebhookSignature.Verify(WebhookSecret.Parse(SpecSecret), SpecId, SpecTimestamp, SpecPayload, header));
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd")] // the specification's invalid signature
    [InlineData("v1,dawfeoifkpqwoekfpqoekf")]
    [InlineData("v1,g0hM9SsE")] // partial
    [InlineData("v1,")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // right bytes, wrong version
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // no version
    [InlineData("")]
    [InlineData(null)]
    public void Verify_InvalidSignature_IsRefused(string? header)
    {
        Assert.False(WebhookSignature.Verify(WebhookSecret.Parse(SpecSecret), SpecId, SpecTimestamp, SpecPayload, header));
    }

    [Fact]
    public void Verify_AnyChangeToIdTimestampOrBody_IsRefused()
    {
        var secret = WebhookSecret.Parse(SpecSecret);
        Assert.False(WebhookSignature.Verify(secret, "msg_other", SpecTimestamp, SpecPayload, SpecSignature));
        Assert.False(WebhookSignature.Verify(secret, SpecId, SpecTimestamp + 1, SpecPayload, SpecSignature));
        Assert.False(WebhookSignature.Verify(secret, SpecId, SpecTimestamp, "{\"test\":2432232314}", SpecSignature));
    }

    [Fact]
    public void Generate_GivesA32ByteSecretWithPrefix_EveryTimeAnother()
    {
        var one = WebhookSecret.Generate();
        var two = WebhookSecret.Generate();
        Assert.StartsWith("whsec_", one.ToString(), StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(one.ToString()["whsec_".Length..]).Length);
        Assert.NotEqual(one.ToString(), two.ToString());
        Assert.True(WebhookSecret.Parse(one.ToString()).Key.SequenceEqual(one.Key));
    }

    [Theory]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_AAAA")] // 3 bytes: too short a key
    public void Parse_BadSecret_Throws(string text)
    {
        Assert.Throws<FormatException>(() => WebhookSecret.Parse(text));
    }
}
