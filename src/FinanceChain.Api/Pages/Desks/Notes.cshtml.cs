using FinanceChain.Api.Auth;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Http;
using FinanceChain.Api.Notes;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/notes</c> (enterprise, bank): the notes the caller accepted, holds or held, 20 a page, with what it holds of
/// each; a core enterprise also finds the issue form here.
/// </summary>
[Authorize(Policy = Policies.BankOrEnterprise)]
public sealed class NotesModel(NoteStore notes, EnterpriseStore enterprises) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public Page<NoteResponse> Items { get; private set; } = new([], null);

    /// <summary>The caller's enterprise or institution, whose holdings the list sums.</summary>
    public string Party { get; private set; } = "";

    public bool MayIssue { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = Caller.From(User);
        Party = caller.EnterpriseId ?? caller.InstitutionId ?? "";
        Items = await notes.ListAsync(PageRequest.From(PageSize, Cursor), caller, cancellationToken);
        MayIssue = caller.Role == Role.Enterprise && await NewNoteModel.IsCoreAsync(enterprises, caller.OwnEnterpriseId, cancellationToken);
    }

    /// <summary>What <paramref name="party"/> holds of <paramref name="note"/>, in yuan.</summary>
    public static decimal HeldBy(NoteResponse note, string party) => note.Holdings.Where(h => h.HolderId == party).Sum(h => h.Amount);
}
