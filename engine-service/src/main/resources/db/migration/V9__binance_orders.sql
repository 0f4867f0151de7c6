-- Every Binance order each of our orders has been (a cancel/replace places a new one under the same client order id),
-- so that an adapter that restarts reads the trades of all of them, not only of the latest one Binance returns for the
-- client order id. Written by the Binance adapter as it learns each id.
create table binance_orders (
    symbol           text        not null,
    binance_order_id bigint      not null,
    client_order_id  text        not null,
    created_at       timestamptz not null default now(),
    primary key (symbol, binance_order_id)
);
create index binance_orders_client on binance_orders (client_order_id);
