-- OPS' view of every position, kept from the engines' position.changed events (the latest per venue, symbol and
-- model). It lets OPS show PnL without asking the engines, and catch up after being down.
create table positions (
    venue           text not null,
    symbol          text not null,
    model           text not null,
    quantity        numeric(38, 18) not null,
    average_price   numeric(38, 18) not null,
    realized_pnl    numeric(38, 18) not null,
    fees            numeric(38, 18) not null,
    mark_price      numeric(38, 18),
    unrealized_pnl  numeric(38, 18),
    updated_at      timestamptz not null,
    primary key (venue, symbol, model)
);
