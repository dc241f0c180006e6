using System.Net;
using System.Net.Http.Json;
using Dapper;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Tests.Infrastructure;
using Hangfire;
using Hangfire.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NSubstitute;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// The no-answer job with a fake clock: a presentment nobody answered is dishonoured (reason <c>noAnswer</c>) once the
/// acceptor's window of business days has ended, not a moment before, and only once.
/// </summary>
public sealed class PresentmentAnswerJobTests
{
    private static Instant Shanghai(int year, int month, int day, int hour, int minute) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).ToInstant();

    private static async Task<(NotesWorld World, string Note, string Presentment)> PresentedAsync(
        Instant presentedAt, LocalDate? dueDate = null, IDictionary<string, string?>? settings = null)
    {
        var world = new NotesWorld(new FinanceChainApp(settings: settings));
        await world.InitializeAsync();
        if (dueDate is { } due && due > NotesWorld.Today.PlusMonths(6))
        {
            world.App.Clock.Reset(Shanghai(due.Year, due.Month, due.Day, 10, 0) - Duration.FromDays(150));
        }

        var note = (await world.IssueNoteAsync(1_000m, dueDate))["id"]!.GetValue<string>();
        world.App.Clock.Reset(presentedAt);
        var presentment = (await (await world.Supplier.PostAsync($"/api/v1/notes/{note}/presentments", null)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        return (world, note, presentment);
    }

    private static Task<int> RunAsync(NotesWorld world) =>
        world.App.Services.GetRequiredService<PresentmentAnswerJob>().RunAsync(CancellationToken.None);

    private static async Task<System.Text.Json.Nodes.JsonNode> PresentmentAsync(NotesWorld world, string note, string presentment) =>
        await (await world.Regulator.GetAsync($"/api/v1/notes/{note}/presentments/{presentment}")).ExpectAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Unanswered_IsDishonouredAtTheEndOfTheSecondBusinessDay_NotBefore_AndOnce()
    {
        var (w, note, presentment) = await PresentedAsync(Shanghai(2026, 9, 1, 10, 0)); // Tuesday, the due date
        try
        {
            Assert.Equal("2026-09-03", (await PresentmentAsync(w, note, presentment))["answerDueDate"]!.GetValue<string>());

            w.App.Clock.Reset(Shanghai(2026, 9, 3, 23, 59));
            Assert.Equal(0, await RunAsync(w));
            Assert.Equal("presented", (await PresentmentAsync(w, note, presentment))["status"]!.GetValue<string>());

            w.App.Clock.Reset(Shanghai(2026, 9, 4, 0, 5));
            Assert.Equal(1, await RunAsync(w));

            var dishonoured = await PresentmentAsync(w, note, presentment);
            Assert.Equal(("dishonoured", "noAnswer"), (dishonoured["status"]!.GetValue<string>(), dishonoured["reason"]!.GetValue<string>()));
            Assert.Equal("dishonoured", (await w.GetNoteAsync(note))["status"]!.GetValue<string>());
            var history = await (await w.Regulator.GetAsync($"/api/v1/notes/{note}/history")).ExpectAsync(HttpStatusCode.OK);
            var last = history["items"]!.AsArray()[^1]!;
            Assert.Equal("dishonoured", last["type"]!.GetValue<string>());
            Assert.Equal(NoteJobs.AnswerJobId, last["actorKeyId"]!.GetValue<string>());
            Assert.Null(last["actorKeyName"]);
            Assert.Equal("noAnswer", last["reason"]!.GetValue<string>());
            await using (var connection = new SqliteConnection($"Data Source={w.App.DatabaseFile}"))
            {
                var (actor, role) = await connection.QuerySingleAsync<(string, string)>(
                    "SELECT actor, role FROM audit_log WHERE entity_id = @note AND action = 'note.dishonoured'", new { note });
                Assert.Equal((NoteJobs.AnswerJobId, "system"), (actor, role));
            }

            // Too late for the acceptor now, and a second run changes nothing.
            var late = await (await w.Core.PostAsync($"/api/v1/notes/{note}/presentments/{presentment}/pay", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("presentmentAnswered", late["code"]!.GetValue<string>());
            Assert.Equal(0, await RunAsync(w));
            Assert.Equal(history["items"]!.AsArray().Count, (await (await w.Regulator.GetAsync($"/api/v1/notes/{note}/history")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Count);
        }
        finally
        {
            await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task AcceptorAnswering_AfterTheWindowBeforeTheJobRan_Is409_AndTheJobThenDishonours()
    {
        var (w, note, presentment) = await PresentedAsync(Shanghai(2026, 9, 4, 9, 0)); // Friday
        try
        {
            // Two business days after Friday: Monday and Tuesday.
            Assert.Equal("2026-09-08", (await PresentmentAsync(w, note, presentment))["answerDueDate"]!.GetValue<string>());
            w.App.Clock.Reset(Shanghai(2026, 9, 9, 0, 0));

            var late = await (await w.Core.PostAsJsonAsync($"/api/v1/notes/{note}/presentments/{presentment}/dishonour", new { reason = "late" })).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("presentmentAnswerWindowClosed", late["code"]!.GetValue<string>());
            Assert.Equal(1, await RunAsync(w));
        }
        finally
        {
            await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheWindow_CountsBusinessDays_OverNationalDay()
    {
        // Due Friday 2026-09-25 (中秋); presented Wednesday 09-30; the business days after are 10-08 and 10-09.
        var (w, note, presentment) = await PresentedAsync(Shanghai(2026, 9, 30, 10, 0), new LocalDate(2026, 9, 25));
        try
        {
            Assert.Equal("2026-10-09", (await PresentmentAsync(w, note, presentment))["answerDueDate"]!.GetValue<string>());
            w.App.Clock.Reset(Shanghai(2026, 10, 9, 23, 0));
            Assert.Equal(0, await RunAsync(w));
            w.App.Clock.Reset(Shanghai(2026, 10, 10, 0, 5)); // a Saturday worked (调休), but the window ended at midnight
            Assert.Equal(1, await RunAsync(w));
        }
        finally
        {
            await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheWindow_IsConfigurable()
    {
        var (w, note, presentment) = await PresentedAsync(Shanghai(2026, 9, 1, 10, 0), settings: new Dictionary<string, string?> { ["Notes:AnswerBusinessDays"] = "1" });
        try
        {
            Assert.Equal("2026-09-02", (await PresentmentAsync(w, note, presentment))["answerDueDate"]!.GetValue<string>());
            w.App.Clock.Reset(Shanghai(2026, 9, 3, 0, 5));
            Assert.Equal(1, await RunAsync(w));
        }
        finally
        {
            await w.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    public void AnOutOfRangeWindow_StopsTheServiceAtStartUp(string days)
    {
        using var app = new FinanceChainApp(settings: new Dictionary<string, string?> { ["Notes:AnswerBusinessDays"] = days });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Notes:AnswerBusinessDays", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_GoesThroughTheInjectedManager_HourlyInShanghai()
    {
        var manager = Substitute.For<IRecurringJobManagerV2>();

        new PresentmentAnswerSchedule().Register(manager);

        manager.Received(1).AddOrUpdate(
            "note-presentment-answers",
            Arg.Is<Job>(j => j.Type == typeof(PresentmentAnswerJob) && j.Method.Name == "RunAsync"),
            "5 * * * *",
            Arg.Is<RecurringJobOptions>(o => o.TimeZone.Id == "Asia/Shanghai"));
    }

    [Fact]
    public void Startup_RegistersTheJobBesideTheRosters()
    {
        using var app = new FinanceChainApp();

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == NoteJobs.AnswerJobId);
        Assert.Equal(("5 * * * *", "Asia/Shanghai"), (job.Cron, job.TimeZoneId));
        Assert.Equal(typeof(PresentmentAnswerJob), job.Job.Type);
    }
}
