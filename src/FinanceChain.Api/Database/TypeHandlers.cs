using System.Data;
using System.Globalization;
using Dapper;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Api.Database;

/// <summary>
/// Dapper handlers for NodaTime and money. Instants are stored as UTC <c>datetime2</c> (SQL Server) or
/// ISO text (SQLite); dates as <c>date</c> or <c>yyyy-MM-dd</c> text; money as integer fen.
/// </summary>
public static class TypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new LocalDateHandler());
        SqlMapper.AddTypeHandler(new MoneyHandler());
    }

    private sealed class InstantHandler : SqlMapper.TypeHandler<Instant>
    {
        public override void SetValue(IDbDataParameter parameter, Instant value)
        {
            if (parameter is SqliteParameter)
            {
                // Fixed-width text so that string order is time order.
                parameter.Value = value.ToDateTimeUtc().ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
                parameter.DbType = DbType.String;
            }
            else
            {
                parameter.Value = value.ToDateTimeUtc();
                parameter.DbType = DbType.DateTime2;
            }
        }

        public override Instant Parse(object value) => value switch
        {
            DateTime dateTime => Instant.FromDateTimeUtc(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            string text => Instant.FromDateTimeUtc(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
            _ => throw new DataException($"Cannot read an instant from {value.GetType().Name}."),
        };
    }

    private sealed class LocalDateHandler : SqlMapper.TypeHandler<LocalDate>
    {
        public override void SetValue(IDbDataParameter parameter, LocalDate value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.Value = LocalDatePattern.Iso.Format(value);
                parameter.DbType = DbType.String;
            }
            else
            {
                parameter.Value = value.ToDateOnly();
                parameter.DbType = DbType.Date;
            }
        }

        public override LocalDate Parse(object value) => value switch
        {
            DateTime dateTime => LocalDate.FromDateTime(dateTime),
            DateOnly date => LocalDate.FromDateOnly(date),
            string text => LocalDatePattern.Iso.Parse(text).Value,
            _ => throw new DataException($"Cannot read a date from {value.GetType().Name}."),
        };
    }

    private sealed class MoneyHandler : SqlMapper.TypeHandler<Money>
    {
        public override void SetValue(IDbDataParameter parameter, Money value)
        {
            parameter.Value = value.Fen;
            parameter.DbType = DbType.Int64;
        }

        public override Money Parse(object value) => Money.FromFen(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }
}
