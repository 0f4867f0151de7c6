-- When a cancel of the order was last asked for (DELETE, DELETE /orders, the kill switch, an expiry, a contingency),
-- saved with the change the request makes, before the venue hears of it. An order whose replace the venue did not
-- answer ends from PENDING_REPLACE whether a cancel ended it or the re-price cost it; this tells the two apart, after
-- a restart too. Never cleared: a cancel the venue refused is told by the order's restore after it.
alter table orders add column cancel_requested_at timestamptz;
