-- An index for the roster's read of the offers accepted in the half-year just ended
CREATE INDEX ix_offers_status_decided ON offers (status, decided_at);
