using System.Text;
using FinanceChain.Api.Errors;

namespace FinanceChain.Api.Http;

/// <summary>A page of a list: the items and an opaque cursor for the next page, or null at the end.</summary>
/// <param name="Items">The items of this page.</param>
/// <param name="Next">Pass as <c>?cursor=</c> to get the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>Keyset paging over ids: <c>?limit=</c> (default 50, at most 200) and <c>?cursor=</c>.</summary>
public readonly record struct PageRequest(string After, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static PageRequest From(int? limit, string? cursor)
    {
        if (limit is < 1)
        {
            throw new FieldValidationException("limit", ErrorCodes.PageLimitTooSmall);
        }

        return new PageRequest(DecodeCursor(cursor), Math.Min(limit ?? DefaultLimit, MaxLimit));
    }

    /// <summary>Fetch one more than the page size to learn whether there is a next page.</summary>
    public int FetchLimit => Limit + 1;

    public Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, Func<TRow, string> id, Func<TRow, TOut> map)
    {
        var items = rows.Take(Limit).Select(map).ToList();
        var next = rows.Count > Limit ? EncodeCursor(id(rows[Limit - 1])) : null;
        return new Page<TOut>(items, next);
    }

    private static string EncodeCursor(string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return "";
        }

        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            throw new FieldValidationException("cursor", ErrorCodes.CursorInvalid);
        }
    }
}
