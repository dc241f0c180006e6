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
public sealed record CreateInstitutionRequest(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Name,
    InstitutionKind Kind,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), CreditCode] string CreditCode,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), Region] string Region);

/// <summary>A financial institution.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">Kind of institution.</param>
/// <param name="CreditCode">Unified social credit code.</param>
/// <param name="Region">Administrative division code.</param>
/// <param name="RegionName">The region's full name (<c>湖北省武汉市</c>), from the GB/T 2260 list.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record InstitutionResponse(string Id, string Name, InstitutionKind Kind, string CreditCode, string Region, string RegionName, Instant CreatedAt);

internal sealed class InstitutionRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string CreditCode { get; set; } = "";
    public string Region { get; set; } = "";
    public Instant CreatedAt { get; set; }

    public InstitutionResponse ToResponse() => new(Id, Name, EnumText.Parse<InstitutionKind>(Kind), CreditCode, Region, Divisions.Gb2260.FullName(Region), CreatedAt);
}

/// <summary>Institutions: admin registers them, every role reads them.</summary>
public static class InstitutionsApi
{
    internal const string InsertSql = """
        INSERT INTO institutions (id, name, kind, credit_code, region, created_at)
        VALUES (@Id, @Name, @Kind, @CreditCode, @Region, @CreatedAt)
        """;

    internal const string CreditCodeExistsSql = "SELECT COUNT(*) FROM institutions WHERE credit_code = @CreditCode";
    internal const string GetSql = "SELECT id, name, kind, credit_code AS CreditCode, region, created_at AS CreatedAt FROM institutions WHERE id = @Id";
    internal const string ListSql = "SELECT id, name, kind, credit_code AS CreditCode, region, created_at AS CreatedAt FROM institutions WHERE id > @After ORDER BY id {limit}";

    public static RouteGroupBuilder MapInstitutions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/institutions").WithTags("Institutions").RequireAuthorization();
        group.MapPost("/", CreateInstitutionAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Register a financial institution (admin).").ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListInstitutionsAsync).WithSummary("List institutions.").ProducesStandardErrors();
        group.MapGet("/{id}", GetInstitutionAsync).WithSummary("One institution.").ProducesStandardErrors(StatusCodes.Status404NotFound);
        return group;
    }

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
        };

        try
        {
            await db.InTransactionAsync(async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>(CreditCodeExistsSql, new { row.CreditCode }, transaction) > 0)
                {
                    throw new ConflictException(InstitutionCodes.InstitutionCreditCodeTaken);
                }

                await connection.ExecuteAsync(InsertSql, row, transaction);
                await audit.AppendAsync(transaction, caller, "institution.created", "institution", row.Id, new { row.Name, row.Kind, row.CreditCode });
                return 0;
            }, cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new ConflictException(InstitutionCodes.InstitutionCreditCodeTaken);
        }

        return TypedResults.Created($"/api/v1/institutions/{row.Id}", row.ToResponse());
    }

    public static async Task<Ok<Page<InstitutionResponse>>> ListInstitutionsAsync(Db db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.From(limit, cursor);
        var rows = await db.QueryAsync<InstitutionRow>(ListSql, new { page.After, limit = page.FetchLimit }, cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, r => r.Id, r => r.ToResponse()));
    }

    public static async Task<Ok<InstitutionResponse>> GetInstitutionAsync(string id, Db db, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<InstitutionRow>(GetSql, new { Id = id }, cancellationToken) ?? throw new NotFoundException("institution");
        return TypedResults.Ok(row.ToResponse());
    }
}
