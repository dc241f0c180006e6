using FinanceChain.Api.Webhooks;

namespace FinanceChain.Api.Tests.Webhooks;

public sealed class WebhookEventsTests
{
    [Fact]
    public void Helpers_NameTheContractsTypesAndRecipients()
    {
        var data = new { id = "x" };
        Assert.Equal(("financingRequest.matched", "ins_a,ins_b"), Of(WebhookEvents.FinancingRequestMatched(data, ["ins_a", "ins_b", "ins_a"])));
        Assert.Equal(("offer.created", "ent_a"), Of(WebhookEvents.OfferCreated(data, "ent_a")));
        Assert.Equal(("offer.accepted", "ins_a"), Of(WebhookEvents.OfferAccepted(data, "ins_a")));
        Assert.Equal(("offer.declined", "ins_a"), Of(WebhookEvents.OfferDeclined(data, "ins_a")));
        Assert.Equal(("financingRequest.withdrawn", "ins_a"), Of(WebhookEvents.FinancingRequestWithdrawn(data, ["ins_a"])));
        Assert.Equal(("financingRequest.expired", "ins_a"), Of(WebhookEvents.FinancingRequestExpired(data, ["ins_a"])));
        Assert.Equal(("receivable.registered", "ent_d"), Of(WebhookEvents.ReceivableRegistered(data, "ent_d")));
        Assert.Equal(("note.received", "ins_a"), Of(WebhookEvents.NoteReceived(data, "ins_a")));
        Assert.Equal(("note.dueSoon", "ent_h,ins_b,ent_acc"), Of(WebhookEvents.NoteDueSoon(data, ["ent_h", "ins_b", "ent_acc"], "ent_acc")));
        Assert.All(new[] { WebhookEvents.OfferCreated(data, "ent_a") }, e => Assert.Same(data, e.Data));
    }

    private static (string, string) Of(WebhookEvent e) => (e.Type, string.Join(",", e.Recipients));
}
