-- Foundation: API keys, the chain registry, lead-bank pairing and the audit trail.
-- Instants are UTC text 'yyyy-MM-dd HH:mm:ss.fffffff'; dates 'yyyy-MM-dd'; money integer fen.

CREATE TABLE api_keys (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    institution_id TEXT    NULL,
    enterprise_id  TEXT    NULL,
    key_hash       TEXT    NOT NULL UNIQUE,
    created_at     TEXT    NOT NULL,
    revoked_at     TEXT    NULL
);

CREATE TABLE chains (
    id         TEXT    NOT NULL PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    region     TEXT    NOT NULL,
    chief      TEXT    NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL
);

CREATE TABLE institutions (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    region      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE enterprises (
    id                 TEXT    NOT NULL PRIMARY KEY,
    name               TEXT    NOT NULL,
    credit_code        TEXT    NOT NULL UNIQUE,
    industry           TEXT    NOT NULL,
    employees          INTEGER NOT NULL,
    annual_revenue_fen INTEGER NOT NULL,
    total_assets_fen   INTEGER NOT NULL,
    region             TEXT    NOT NULL,
    size               TEXT    NOT NULL,
    created_at         TEXT    NOT NULL
);

CREATE TABLE chain_members (
    chain_id      TEXT NOT NULL REFERENCES chains (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    role          TEXT NOT NULL,
    since         TEXT NOT NULL,
    PRIMARY KEY (chain_id, enterprise_id)
);

CREATE INDEX ix_chain_members_enterprise ON chain_members (enterprise_id);

CREATE TABLE lead_bank_pairings (
    id             TEXT NOT NULL PRIMARY KEY,
    chain_id       TEXT NOT NULL REFERENCES chains (id),
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    since          TEXT NOT NULL,
    until          TEXT NULL,
    paired_by      TEXT NOT NULL
);

-- 一链一行: at most one current lead bank per chain.
CREATE UNIQUE INDEX ux_lead_bank_current ON lead_bank_pairings (chain_id) WHERE until IS NULL;
CREATE INDEX ix_lead_bank_institution ON lead_bank_pairings (institution_id);

CREATE TABLE audit_log (
    seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    details     TEXT    NOT NULL
);

CREATE INDEX ix_audit_entity ON audit_log (entity_id);
CREATE INDEX ix_audit_actor ON audit_log (actor);

-- The audit trail is append-only.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE idempotency_keys (
    owner         TEXT    NOT NULL,
    idem_key      TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status_code   INTEGER NULL,
    location      TEXT    NULL,
    response_body TEXT    NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (owner, idem_key)
);
