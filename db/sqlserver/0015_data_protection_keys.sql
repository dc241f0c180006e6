-- The ASP.NET Core Data Protection key ring, shared by every service instance on this database and kept across
-- restarts. It protects webhook secrets (and anything else the service protects with Data Protection).

CREATE TABLE data_protection_keys (
    id         INT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    name       NVARCHAR(200)      NOT NULL UNIQUE,
    xml        NVARCHAR(MAX)      NOT NULL,
    created_at DATETIME2(7)       NOT NULL
);
