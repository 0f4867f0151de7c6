-- Stops, trailing stops, post-only, GTD, and contingent orders (OCO, bracket).

alter table orders
    add column stop_price          numeric(38, 18),
    add column trailing_offset     numeric(38, 18),
    add column trailing_offset_bps numeric(38, 18),
    add column limit_offset        numeric(38, 18),
    add column trigger_price       numeric(38, 18),
    add column trail_reference     numeric(38, 18),
    add column triggered_at        timestamptz,
    add column post_only           boolean not null default false,
    add column expire_at           timestamptz,
    add column contingency         text,
    add column parent_id           uuid references orders (id) deferrable initially deferred,
    add column oco_partner_id      uuid references orders (id) deferrable initially deferred;

create index orders_parent on orders (parent_id) where parent_id is not null;

drop index orders_working;
create index orders_working on orders (venue, symbol)
    where status in ('NEW', 'HELD', 'OPEN', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE');
create index orders_model_created on orders (model, created_at desc);
