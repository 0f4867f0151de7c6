-- A chase whose order the venue dropped while re-pricing it (Binance's cancel/replace canceled the old order and
-- refused the post-only replacement, or canceled a replacement a racing fill made too large) places the rest anew as
-- an order of its own, under the key "<key>:r<n>". The decision (n, price, quantity) is written before that order
-- is placed, so a crash cannot double it: placing it again under the same key replays it.
alter table chases add column current_order_id uuid;
alter table chases add column renewals integer not null default 0;
alter table chases add column renew_price numeric(38, 18);
alter table chases add column renew_quantity numeric(38, 18);
alter table chases add column renewal_order_ids uuid[] not null default '{}';
-- The order the chase works now: its first order (order_id, still the chase's handle in the API) until a renewal.
update chases set current_order_id = order_id where order_id is not null;
