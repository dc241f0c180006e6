-- Products, financing requests, offers, and the change counter that keeps every service instance's
-- in-memory matching index coherent with the database.
-- Instants are UTC text 'yyyy-MM-dd HH:mm:ss.fffffff'; money integer fen; rates integer bps.

-- One row per cached data set; every change to the set increments its row in the same transaction.
CREATE TABLE change_counters (
    name  TEXT    NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
);

INSERT INTO change_counters (name, value) VALUES ('products', 0);

-- enterprise_sizes and regions: comma-separated camelCase sizes / 6-digit codes; '' = no restriction.
-- change_seq: the value of the products change counter written by the product's last change, so that an
-- instance can read just the products changed since the counter value its index was built at.
CREATE TABLE products (
    id                            TEXT    NOT NULL PRIMARY KEY,
    institution_id                TEXT    NOT NULL REFERENCES institutions (id),
    name                          TEXT    NOT NULL,
    type                          TEXT    NOT NULL,
    min_amount_fen                INTEGER NOT NULL,
    max_amount_fen                INTEGER NOT NULL,
    min_term_days                 INTEGER NOT NULL,
    max_term_days                 INTEGER NOT NULL,
    min_rate_bps                  INTEGER NOT NULL,
    max_rate_bps                  INTEGER NOT NULL,
    enterprise_sizes              TEXT    NOT NULL,
    regions                       TEXT    NOT NULL,
    collateral                    TEXT    NOT NULL,
    requires_confirmed_receivable INTEGER NOT NULL,
    active                        INTEGER NOT NULL,
    version                       INTEGER NOT NULL,
    change_seq                    INTEGER NOT NULL,
    created_at                    TEXT    NOT NULL,
    updated_at                    TEXT    NOT NULL,
    withdrawn_at                  TEXT    NULL
);

CREATE INDEX ix_products_institution ON products (institution_id);
CREATE INDEX ix_products_change_seq ON products (change_seq);

-- The chains a product is restricted to; none = every chain.
CREATE TABLE product_chains (
    product_id TEXT NOT NULL REFERENCES products (id),
    chain_id   TEXT NOT NULL REFERENCES chains (id),
    PRIMARY KEY (product_id, chain_id)
);

CREATE INDEX ix_product_chains_chain ON product_chains (chain_id);

-- acceptable_types and collateral_offered: comma-separated camelCase names; '' = any type / nothing offered.
-- status is open, offered, accepted or withdrawn; an open or offered request is expired once expires_at has passed.
-- holds_note / has_confirmed_receivable: what the note and receivable named were found to be when the request was made.
CREATE TABLE financing_requests (
    id                       TEXT    NOT NULL PRIMARY KEY,
    enterprise_id            TEXT    NOT NULL REFERENCES enterprises (id),
    chain_id                 TEXT    NOT NULL REFERENCES chains (id),
    amount_fen               INTEGER NOT NULL,
    term_days                INTEGER NOT NULL,
    purpose                  TEXT    NOT NULL,
    acceptable_types         TEXT    NOT NULL,
    collateral_offered       TEXT    NOT NULL,
    max_rate_bps             INTEGER NULL,
    receivable_id            TEXT    NULL,
    note_id                  TEXT    NULL,
    holds_note               INTEGER NOT NULL,
    has_confirmed_receivable INTEGER NOT NULL,
    status                   TEXT    NOT NULL,
    accepted_offer_id        TEXT    NULL,
    created_at               TEXT    NOT NULL,
    expires_at               TEXT    NOT NULL,
    updated_at               TEXT    NOT NULL
);

CREATE INDEX ix_financing_requests_enterprise ON financing_requests (enterprise_id);
CREATE INDEX ix_financing_requests_live ON financing_requests (status, expires_at);

-- status is pending, accepted or declined.
CREATE TABLE offers (
    id             TEXT    NOT NULL PRIMARY KEY,
    request_id     TEXT    NOT NULL REFERENCES financing_requests (id),
    product_id     TEXT    NOT NULL REFERENCES products (id),
    institution_id TEXT    NOT NULL REFERENCES institutions (id),
    amount_fen     INTEGER NOT NULL,
    rate_bps       INTEGER NOT NULL,
    term_days      INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    decided_at     TEXT    NULL
);

CREATE INDEX ix_offers_request ON offers (request_id);
CREATE INDEX ix_offers_institution ON offers (institution_id);
