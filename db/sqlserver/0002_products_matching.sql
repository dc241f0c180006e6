-- Products, financing requests, offers, and the change counter that keeps every service instance's
-- in-memory matching index coherent with the database.
-- Instants are UTC datetime2; money bigint fen; rates integer bps.

-- One row per cached data set; every change to the set increments its row in the same transaction.
CREATE TABLE change_counters (
    name  NVARCHAR(40) NOT NULL PRIMARY KEY,
    value BIGINT       NOT NULL
);

INSERT INTO change_counters (name, value) VALUES ('products', 0);

-- enterprise_sizes and regions: comma-separated camelCase sizes / 6-digit codes; '' = no restriction.
-- change_seq: the value of the products change counter written by the product's last change, so that an
-- instance can read just the products changed since the counter value its index was built at.
CREATE TABLE products (
    id                            NVARCHAR(40)   NOT NULL PRIMARY KEY,
    institution_id                NVARCHAR(40)   NOT NULL REFERENCES institutions (id),
    name                          NVARCHAR(200)  NOT NULL,
    type                          NVARCHAR(40)   NOT NULL,
    min_amount_fen                BIGINT         NOT NULL,
    max_amount_fen                BIGINT         NOT NULL,
    min_term_days                 INT            NOT NULL,
    max_term_days                 INT            NOT NULL,
    min_rate_bps                  INT            NOT NULL,
    max_rate_bps                  INT            NOT NULL,
    enterprise_sizes              NVARCHAR(100)  NOT NULL,
    regions                       NVARCHAR(1000) NOT NULL,
    collateral                    NVARCHAR(40)   NOT NULL,
    requires_confirmed_receivable BIT            NOT NULL,
    active                        BIT            NOT NULL,
    version                       BIGINT         NOT NULL,
    change_seq                    BIGINT         NOT NULL,
    created_at                    DATETIME2(7)   NOT NULL,
    updated_at                    DATETIME2(7)   NOT NULL,
    withdrawn_at                  DATETIME2(7)   NULL
);

CREATE INDEX ix_products_institution ON products (institution_id);
CREATE INDEX ix_products_change_seq ON products (change_seq);

-- The chains a product is restricted to; none = every chain.
CREATE TABLE product_chains (
    product_id NVARCHAR(40) NOT NULL REFERENCES products (id),
    chain_id   NVARCHAR(40) NOT NULL REFERENCES chains (id),
    CONSTRAINT pk_product_chains PRIMARY KEY (product_id, chain_id)
);

CREATE INDEX ix_product_chains_chain ON product_chains (chain_id);

-- acceptable_types and collateral_offered: comma-separated camelCase names; '' = any type / nothing offered.
-- status is open, offered, accepted or withdrawn; an open or offered request is expired once expires_at has passed.
-- holds_note / has_confirmed_receivable: what the note and receivable named were found to be when the request was made.
CREATE TABLE financing_requests (
    id                       NVARCHAR(40)  NOT NULL PRIMARY KEY,
    enterprise_id            NVARCHAR(40)  NOT NULL REFERENCES enterprises (id),
    chain_id                 NVARCHAR(40)  NOT NULL REFERENCES chains (id),
    amount_fen               BIGINT        NOT NULL,
    term_days                INT           NOT NULL,
    purpose                  NVARCHAR(500) NOT NULL,
    acceptable_types         NVARCHAR(400) NOT NULL,
    collateral_offered       NVARCHAR(200) NOT NULL,
    max_rate_bps             INT           NULL,
    receivable_id            NVARCHAR(40)  NULL,
    note_id                  NVARCHAR(40)  NULL,
    holds_note               BIT           NOT NULL,
    has_confirmed_receivable BIT           NOT NULL,
    status                   NVARCHAR(20)  NOT NULL,
    accepted_offer_id        NVARCHAR(40)  NULL,
    created_at               DATETIME2(7)  NOT NULL,
    expires_at               DATETIME2(7)  NOT NULL,
    updated_at               DATETIME2(7)  NOT NULL
);

CREATE INDEX ix_financing_requests_enterprise ON financing_requests (enterprise_id);
CREATE INDEX ix_financing_requests_live ON financing_requests (status, expires_at);

-- status is pending, accepted or declined.
CREATE TABLE offers (
    id             NVARCHAR(40) NOT NULL PRIMARY KEY,
    request_id     NVARCHAR(40) NOT NULL REFERENCES financing_requests (id),
    product_id     NVARCHAR(40) NOT NULL REFERENCES products (id),
    institution_id NVARCHAR(40) NOT NULL REFERENCES institutions (id),
    amount_fen     BIGINT       NOT NULL,
    rate_bps       INT          NOT NULL,
    term_days      INT          NOT NULL,
    status         NVARCHAR(20) NOT NULL,
    created_at     DATETIME2(7) NOT NULL,
    decided_at     DATETIME2(7) NULL
);

CREATE INDEX ix_offers_request ON offers (request_id);
CREATE INDEX ix_offers_institution ON offers (institution_id);
