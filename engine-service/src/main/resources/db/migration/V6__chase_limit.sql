-- Orders worked by the ChaseLimit algorithm. The row is written before the first child order is placed (with the
-- price that order gets), under the request's idempotency key, so a retry places the very same order and a restart
-- resumes the chase.
create table chases (
    idempotency_key    text primary key,
    request_hash       text not null,
    order_id           uuid unique,
    symbol             text not null,
    venue              text not null,
    side               text not null,
    model              text,
    quantity           numeric(38, 18) not null,
    first_price        numeric(38, 18) not null,
    -- The first order is placed again (at the new touch, under "<key>:<attempt>") when the market moved before it
    -- arrived and post-only refused it; at most 3 times.
    attempt            integer not null default 0,
    execution          jsonb not null,
    arrival_mid        numeric(38, 18) not null,
    reprices           integer not null default 0,
    state              text not null check (state in ('placing', 'working', 'done', 'fell_back', 'canceled')),
    fallback_order_id  uuid,
    arrived_at         timestamptz not null,
    ended_at           timestamptz
);
create index chases_working on chases (state) where state in ('placing', 'working');
