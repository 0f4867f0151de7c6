-- A key is found by its first order when an order cut off from its request is settled later (recovery,
-- reconciliation, a repeat of the key).
create index idempotency_keys_order on idempotency_keys (order_id);
