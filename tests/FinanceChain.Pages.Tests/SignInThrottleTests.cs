using System.Net;
using FinanceChain.Api.Keys;
using FinanceChain.Domain;
using FinanceChain.Pages.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Pages.Tests;

/// <summary>Wrong keys are limited per address; a right key costs nothing; the limit answers 429 before any key is looked up.</summary>
public sealed class SignInThrottleTests : IDisposable
{
    private readonly PagesServer _server = new(new Dictionary<string, string?> { ["SignIn:FailuresAllowed"] = "3", ["SignIn:SecondsPerFailure"] = "600" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WrongKeys_FromOneAddress_AreLimited_AndRightKeysBeforeThatCostNothing()
    {
        var (_, key) = await _server.Services.GetRequiredService<KeyStore>().CreateAsync(Role.Regulator, "审核岗", null, null, "test", "admin", CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(key)).StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            var wrong = await SignInAsync("fc_wrong-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("密钥无效或已被吊销", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var refused = await SignInAsync(key);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("600", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("尝试次数过多", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Reading the form is not limited.
        Assert.Equal(HttpStatusCode.OK, (await _server.CreateClient().GetAsync("/signin")).StatusCode);
    }

    private async Task<HttpResponseMessage> SignInAsync(string key)
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = BrowserFixture.AntiforgeryToken(await client.GetStringAsync("/signin"));
        return await client.PostAsync("/signin", SessionClient.Form(("key", key), ("__RequestVerificationToken", token)));
    }
}
