-- The engine's schema: orders and their transitions, fills, positions, balances, idempotency keys, the outbox.
-- Money, prices and quantities are numeric(38,18): exact, 20 digits before the point, 18 after.

create table orders (
    id               uuid primary key,
    client_order_id  text not null unique,
    symbol           text not null,
    venue            text not null,
    side             text not null,
    type             text not null,
    time_in_force    text not null,
    quantity         numeric(38, 18) not null check (quantity >= 0),
    quote_quantity   numeric(38, 18),
    price            numeric(38, 18),
    filled_quantity  numeric(38, 18) not null default 0 check (filled_quantity >= 0 and filled_quantity <= quantity),
    average_price    numeric(38, 18),
    fees             numeric(38, 18) not null default 0,
    status           text not null,
    reject_reason    text,
    reject_detail    text,
    model            text not null,
    venue_order_id   text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index orders_working on orders (venue, symbol) where status in ('NEW', 'OPEN', 'PARTIALLY_FILLED');
create index orders_created on orders (created_at desc);

create table order_transitions (
    order_id     uuid not null references orders (id),
    seq          int not null,
    from_status  text,
    to_status    text not null,
    cause        text not null,
    at           timestamptz not null,
    primary key (order_id, seq)
);

create table fills (
    id           uuid primary key,
    order_id     uuid not null references orders (id),
    trade_id     text not null,
    symbol       text not null,
    venue        text not null,
    side         text not null,
    quantity     numeric(38, 18) not null check (quantity > 0),
    price        numeric(38, 18) not null check (price > 0),
    fee          numeric(38, 18) not null,
    fee_asset    text not null,
    liquidity    text not null,
    model        text not null,
    executed_at  timestamptz not null,
    unique (venue, trade_id)
);
create index fills_order on fills (order_id);
create index fills_executed on fills (executed_at desc);

create table positions (
    venue          text not null,
    symbol         text not null,
    model          text not null,
    quantity       numeric(38, 18) not null,
    average_price  numeric(38, 18) not null,
    realized_pnl   numeric(38, 18) not null,
    fees           numeric(38, 18) not null,
    updated_at     timestamptz not null,
    primary key (venue, symbol, model)
);

create table balances (
    venue       text not null,
    asset       text not null,
    amount      numeric(38, 18) not null,
    updated_at  timestamptz not null,
    primary key (venue, asset)
);

-- The idempotency key lives with the effect (DESIGN 2): written in the transaction that creates the order,
-- its response filled in by the transaction that settles the venue's answer.
create table idempotency_keys (
    key              text primary key,
    request_hash     text not null,
    order_id         uuid not null references orders (id) deferrable initially deferred,
    response_status  int,
    response         text,
    created_at       timestamptz not null
);
create index idempotency_keys_created on idempotency_keys (created_at);

-- Transactional outbox (DESIGN 3), relayed to the Redis stream by OutboxRelay.
create table outbox (
    seq           bigserial primary key,
    id            uuid not null unique,
    type          text not null,
    occurred_at   timestamptz not null,
    event         jsonb not null,
    published_at  timestamptz
);
create index outbox_unpublished on outbox (seq) where published_at is null;
