-- The ASP.NET Core Data Protection key ring, shared by every service instance on this database and kept across
-- restarts. It protects webhook secrets (and anything else the service protects with Data Protection).

CREATE TABLE data_protection_keys (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,   -- the key's friendly name, key-<guid>
    xml        TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
