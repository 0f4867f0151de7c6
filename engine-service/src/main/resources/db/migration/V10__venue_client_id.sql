-- The client order id the venue knows an order by, where it is not ours (Binance takes 36 characters of
-- [.A-Z:/a-z0-9_-] and gets a digest of a longer id), so a trade the venue reports under it after the order ended is
-- found by an index, not by reading recent orders.
alter table orders add column venue_client_id text;

-- Orders saved before this column on the Binance venue under its default name: Binance's digest of an id it cannot
-- take ("tp-" and the first 33 hex digits of its SHA-256).
update orders set venue_client_id = 'tp-' || substr(encode(sha256(convert_to(client_order_id, 'UTF8')), 'hex'), 1, 33)
where venue = 'BINANCE' and client_order_id !~ '^[.A-Z:/a-z0-9_-]{1,36}$';

create index orders_venue_client_id on orders (venue_client_id) where venue_client_id is not null;
