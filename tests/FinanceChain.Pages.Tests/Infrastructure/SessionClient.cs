using System.Net;

namespace FinanceChain.Pages.Tests.Infrastructure;

/// <summary>Plain HTTP to the pages, with cookies and without following redirects: what a browser sends, checked at the wire.</summary>
public static class SessionClient
{
    public static HttpClient Anonymous(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };

    /// <summary>Signs in through the form (with its antiforgery token) and returns the client holding the session cookie.</summary>
    public static async Task<HttpClient> SignedInAsync(Uri baseAddress, string key)
    {
        var client = Anonymous(baseAddress);
        var token = BrowserFixture.AntiforgeryToken(await client.GetStringAsync("/signin"));
        var response = await client.PostAsync("/signin", Form(("key", key), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The antiforgery token of the page at <paramref name="path"/>, for this client's session.</summary>
    public static async Task<string> TokenAsync(this HttpClient client, string path) =>
        BrowserFixture.AntiforgeryToken(await client.GetStringAsync(path));

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
