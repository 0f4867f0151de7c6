-- The capital allocator's record: each model's PnL sampled every round (its return series), and every reallocation
-- with its inputs.
create table model_pnl (
    model   text not null,
    at      timestamptz not null,
    pnl     numeric(38, 18) not null,
    equity  numeric(38, 18) not null,
    primary key (model, at)
);

create table allocations (
    seq         bigserial primary key,
    at          timestamptz not null,
    method      text not null,
    equity      numeric(38, 18) not null,
    volatility  numeric(20, 8) not null,
    damped      boolean not null,
    shares      jsonb not null,
    inputs      jsonb not null
);
create index allocations_at on allocations (at desc);

-- A signal larger than its model's budget may be placed smaller: what was placed, when it differs from the request.
alter table signals
    add column placed_quantity numeric(38, 18),
    add column placed_quote    numeric(38, 18);
