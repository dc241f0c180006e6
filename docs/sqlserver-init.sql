-- Creates FinanceChain's own database and login on a fresh SQL Server; safe to run again.
-- Run as a login allowed to create databases and logins (sa in docs/compose.sqlserver.yml), with the sqlcmd
-- variables DatabaseName and AppPassword, e.g.
--   sqlcmd -C -S localhost -U sa -v DatabaseName=FinanceChain AppPassword='...' -i docs/sqlserver-init.sql

IF DB_ID(N'$(DatabaseName)') IS NULL
    CREATE DATABASE [$(DatabaseName)];
GO

-- Reads never wait behind writes (the service refuses to start without it).
IF (SELECT is_read_committed_snapshot_on FROM sys.databases WHERE name = N'$(DatabaseName)') = 0
    ALTER DATABASE [$(DatabaseName)] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;
GO

IF SUSER_ID(N'financechain') IS NULL
    CREATE LOGIN financechain WITH PASSWORD = N'$(AppPassword)', DEFAULT_DATABASE = [$(DatabaseName)], CHECK_POLICY = ON;
GO

USE [$(DatabaseName)];
GO

-- The service migrates its own schema (db_ddladmin, which includes creating Hangfire's schema) and reads and
-- writes its tables; it needs nothing on the server beyond this database.
IF USER_ID(N'financechain') IS NULL
    CREATE USER financechain FOR LOGIN financechain;
ALTER ROLE db_ddladmin ADD MEMBER financechain;
ALTER ROLE db_datareader ADD MEMBER financechain;
ALTER ROLE db_datawriter ADD MEMBER financechain;
GO
