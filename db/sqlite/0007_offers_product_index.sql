-- Withdrawing a product declines its pending offers
CREATE INDEX ix_offers_product_status ON offers (product_id, status);
