using FinanceChain.Api.Idempotency;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace FinanceChain.Api.Institutions;

/// <summary>A financial institution (bank) to register.</summary>
/// <param name="Name">Name, e.g. 中国银行湖北省分行.</param>
/// <param name="Kind">Kind of institution.</param>
/// <param name="CreditCode">18-character unified social credit code.</param>
/// <param name="Region">Administrative division code of its seat.</param>
/// <param name="Contact">Optionally, whom the enterprises it makes offers to may reach: person, phone and e-mail, all three.</param>
public sealed record CreateInstitutionRequest(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Name,
    InstitutionKind Kind,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), CreditCode] string CreditCode,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), Region] string Region,
    InstitutionContact? Contact = null);

/// <summary>
/// An institution's contact for the enterprises it deals with. Shown to admin, the regulator, the bank itself, and an
/// enterprise only once that bank has made it an offer; to anyone else it is <c>null</c>.
/// </summary>
/// <param name="Person">Who to ask for, e.g. 王经理 (at most 100 characters).</param>
/// <param name="Phone">A phone number: digits, spaces, <c>+</c>, <c>-</c> and brackets, e.g. <c>027-87654321</c> (5 to 40 characters).</param>
/// <param name="Email">An e-mail address (at most 254 characters).</param>
public sealed record InstitutionContact(string Person, string Phone, string Email);

/// <summary>A financial institution.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">Kind of institution.</param>
/// <param name="CreditCode">Unified social credit code.</param>
/// <param name="Region">Administrative division code.</param>
/// <param name="RegionName">The region's full name (<c>湖北省武汉市</c>), from the GB/T 2260 list.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="Contact">Its contact, if it has one and the caller may see it (see <see cref="InstitutionContact"/>); else null.</param>
public sealed record InstitutionResponse(
    string Id, string Name, InstitutionKind Kind, string CreditCode, string Region, string RegionName, Instant CreatedAt, InstitutionContact? Contact);

internal sealed class InstitutionRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string CreditCode { get; set; } = "";
    public string Region { get; set; } = "";
    public Instant CreatedAt { get; set; }
    public string? ContactPerson { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactEmail { get; set; }
    public long Version { get; set; }

    public InstitutionContact? Contact => ContactPerson is null ? null : new InstitutionContact(ContactPerson, ContactPhone ?? "", ContactEmail ?? "");

    public InstitutionResponse ToResponse(bool showContact) =>
        new(Id, Name, EnumText.Parse<InstitutionKind>(Kind), CreditCode, Region, Divisions.Gb2260.FullName(Region), CreatedAt, showContact ? Contact : null);
}

/// <summary>Institutions: admin registers them, every role reads them.</summary>
public static class InstitutionsApi
{
    internal const string InsertSql = """
        INSERT INTO institutions (id, name, kind, credit_code, region, created_at)
        VALUES (@Id, @Name, @Kind, @CreditCode, @Region, @CreatedAt)
        """;

    internal const string CreditCodeExistsSql = "SELECT COUNT(*) FROM institutions WHERE credit_code = @CreditCode";

    private const string SelectInstitution = """
        SELECT id, name, kind, credit_code AS CreditCode, region, created_at AS CreatedAt, contact_person AS ContactPerson,
               contact_phone AS ContactPhone, contact_email AS ContactEmail, version
        FROM institutions
        """;

    internal const string GetSql = SelectInstitution + " WHERE id = @Id";
    internal const string ListSql = SelectInstitution + " WHERE id > @After ORDER BY id {limit}";

    /// <summary>Sets (or clears, with nulls) the contact if the row is still at <c>@Version</c>.</summary>
    internal const string SetContactSql = """
        UPDATE institutions SET contact_person = @Person, contact_phone = @Phone, contact_email = @Email, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>The banks that have made the enterprise an offer (any status): those whose contact it may see.</summary>
    internal const string OfferingBanksSql = """
        SELECT DISTINCT o.institution_id FROM offers o JOIN financing_requests r ON r.id = o.request_id WHERE r.enterprise_id = @EnterpriseId
        """;

    public static RouteGroupBuilder MapInstitutions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/institutions").WithTags("Institutions").RequireAuthorization();
        group.MapPost("/", CreateInstitutionAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Register a financial institution (admin).").ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListInstitutionsAsync).WithSummary("List institutions (each contact only where the caller may see it).").ProducesStandardErrors();
        group.MapGet("/{id}", GetInstitutionAsync).WithSummary("One institution, with its ETag (its contact only where the caller may see it).")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPut("/{id}/contact", SetContactAsync).RequireAuthorization(Policies.Admin).WithName("setInstitutionContact")
            .WithSummary("Set an institution's contact (admin): person, phone and e-mail. Requires If-Match with its ETag; returns the new ETag.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
        return group;
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may see the contact of <paramref name="institutionId"/>: admin, regulator, the
    /// bank itself, and an enterprise among whose offering banks it is.
    /// </summary>
    internal static bool MaySeeContact(Caller caller, string institutionId, IReadOnlySet<string> offeringBanks) => caller.Role switch
    {
        Role.Admin or Role.Regulator => true,
        Role.Bank => caller.InstitutionId == institutionId,
        Role.Enterprise => offeringBanks.Contains(institutionId),
        _ => false,
    };

    private static async Task<IReadOnlySet<string>> OfferingBanksAsync(Db db, Caller caller, CancellationToken cancellationToken) =>
        caller.Role == Role.Enterprise
            ? (await db.QueryAsync<string>(OfferingBanksSql, new { EnterpriseId = caller.OwnEnterpriseId }, cancellationToken)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    /// <summary>The contact trimmed, or 400 with errors keyed <c>contact.person</c>, <c>contact.phone</c>, <c>contact.email</c>.</summary>
    internal static InstitutionContact ValidContact(InstitutionContact contact)
    {
        var errors = new Dictionary<string, FieldError[]>();
        var person = contact.Person?.Trim() ?? "";
        var phone = contact.Phone?.Trim() ?? "";
        var email = contact.Email?.Trim() ?? "";
        Check("contact.person", person, 100, errors, p => !p.Any(char.IsControl), ErrorCodes.TextControlCharacters);
        Check("contact.phone", phone, 40, errors, IsPhone, InstitutionCodes.InstitutionContactPhoneInvalid);
        Check("contact.email", email, 254, errors, IsEmail, InstitutionCodes.InstitutionContactEmailInvalid);
        if (errors.Count > 0)
        {
            throw new FieldValidationException(errors);
        }

        return new InstitutionContact(person, phone, email);
    }

    private static void Check(string field, string value, int maxChars, Dictionary<string, FieldError[]> errors, Func<string, bool> valid, string invalidCode)
    {
        if (value.Length == 0)
        {
            errors[field] = [new FieldError(ErrorCodes.FieldRequired)];
        }
        else if (value.Length > maxChars)
        {
            errors[field] = [new FieldError(ErrorCodes.FieldMaxChars, field, maxChars)];
        }
        else if (!valid(value))
        {
            errors[field] = [new FieldError(invalidCode)];
        }
    }

    // Digits with the separators people write (027-87654321, +86 138 0013 8000, (027) 8765 4321, 95566); at least 5 digits.
    private static bool IsPhone(string phone) =>
        phone.Length >= 5 && phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '+') && phone.Count(char.IsAsciiDigit) >= 5
        && phone.LastIndexOf('+') <= 0;

    private static bool IsEmail(string email) =>
        !email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && System.Net.Mail.MailAddress.TryCreate(email, out var address) && address.Address == email
        && address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.');

    public static async Task<Created<InstitutionResponse>> CreateInstitutionAsync(
        CreateInstitutionRequest request, HttpContext http, Db db, AuditLog audit, IClock clock, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var row = new InstitutionRow
        {
            Id = Ids.New("ins"),
            Name = request.Name.Trim(),
            Kind = EnumText.Of(request.Kind),
            CreditCode = Domain.CreditCode.Parse(request.CreditCode).Value,
            Region = request.Region,
            CreatedAt = clock.GetCurrentInstant(),
            Version = 1,
        };
        var contact = request.Contact is null ? null : ValidContact(request.Contact);
        (row.ContactPerson, row.ContactPhone, row.ContactEmail) = (contact?.Person, contact?.Phone, contact?.Email);

        try
        {
            await db.InTransactionAsync(async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>(CreditCodeExistsSql, new { row.CreditCode }, transaction) > 0)
                {
                    throw new ConflictException(InstitutionCodes.InstitutionCreditCodeTaken);
                }

                await connection.ExecuteAsync(InsertSql, row, transaction);
                if (contact is not null)
                {
                    // Not a change of the new row's version: it is created with its contact, at version 1.
                    await connection.ExecuteAsync("UPDATE institutions SET contact_person = @Person, contact_phone = @Phone, contact_email = @Email WHERE id = @Id",
                        new { row.Id, contact.Person, contact.Phone, contact.Email }, transaction);
                }

                await audit.AppendAsync(transaction, caller, "institution.created", "institution", row.Id, new { row.Name, row.Kind, row.CreditCode, contact });
                return 0;
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new ConflictException(InstitutionCodes.InstitutionCreditCodeTaken);
        }

        http.Response.Headers.ETag = ETags.For(row.Version);
        return TypedResults.Created($"/api/v1/institutions/{row.Id}", row.ToResponse(showContact: true));
    }

    public static async Task<Ok<Page<InstitutionResponse>>> ListInstitutionsAsync(HttpContext http, Db db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var page = PageRequest.From(limit, cursor);
        var rows = await db.QueryAsync<InstitutionRow>(ListSql, new { page.After, limit = page.FetchLimit }, cancellationToken);
        var offering = await OfferingBanksAsync(db, caller, cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, r => r.Id, r => r.ToResponse(MaySeeContact(caller, r.Id, offering))));
    }

    public static async Task<Ok<InstitutionResponse>> GetInstitutionAsync(string id, HttpContext http, Db db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var row = await db.QuerySingleOrDefaultAsync<InstitutionRow>(GetSql, new { Id = id }, cancellationToken) ?? throw new NotFoundException("institution");
        http.Response.Headers.ETag = ETags.For(row.Version);
        return TypedResults.Ok(row.ToResponse(MaySeeContact(caller, row.Id, await OfferingBanksAsync(db, caller, cancellationToken))));
    }

    public static async Task<Ok<InstitutionResponse>> SetContactAsync(
        string id, InstitutionContact contact, HttpContext http, Db db, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var version = ETags.RequiredVersion(http.Request);
        var valid = ValidContact(contact);
        var updated = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<InstitutionRow>(GetSql, new { Id = id }, transaction) ?? throw new NotFoundException("institution");
            if (await connection.ExecuteAsync(SetContactSql, new { current.Id, valid.Person, valid.Phone, valid.Email, Version = version }, transaction) != 1)
            {
                throw new PreconditionFailedException(ErrorCodes.IfMatchStale);
            }

            await audit.AppendAsync(transaction, caller, "institution.contactSet", "institution", current.Id, new { contact = valid, previousVersion = current.Version });
            return await connection.QuerySingleAsync<InstitutionRow>(GetSql, new { current.Id }, transaction);
        }, cancellationToken);
        http.Response.Headers.ETag = ETags.For(updated.Version);
        return TypedResults.Ok(updated.ToResponse(showContact: true));
    }
}
