-- The control plane's schema: the strategy registry, signals with their idempotent answers, the events it has
-- seen on the bus, and its own outbox.

create table models (
    name        text primary key,
    status      text not null check (status in ('candidate', 'canary', 'active', 'paused', 'retired')),
    weight      numeric(12, 6) not null check (weight >= 0),
    owner       text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- One row per signal_id: written when the signal is routed, finished with the answer it got. A retry finds it here.
create table signals (
    signal_id        text primary key,
    request_hash     text not null,
    request          jsonb not null,
    model            text not null,
    venue            text not null,
    symbol           text not null,
    status           text not null check (status in ('DISPATCHING', 'ACCEPTED', 'REJECTED')),
    attempts         int not null,
    lease_until      timestamptz not null,
    order_id         text,
    response_status  int,
    response         text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index signals_created on signals (created_at desc);
create index signals_dispatching on signals (lease_until) where status = 'DISPATCHING';

-- Every event seen on the bus, once (deduplicated by id); the SSE stream replays from here.
create table events (
    seq          bigserial primary key,
    id           uuid not null unique,
    type         text not null,
    source       text not null,
    occurred_at  timestamptz not null,
    event        jsonb not null,
    received_at  timestamptz not null default now()
);
create index events_type on events (type, seq);

create table outbox (
    seq           bigserial primary key,
    id            uuid not null unique,
    type          text not null,
    occurred_at   timestamptz not null,
    event         jsonb not null,
    published_at  timestamptz
);
create index outbox_unpublished on outbox (seq) where published_at is null;
