-- The paper venue's own store, apart from the engine's tables: a journal of what the venue did (orders it took,
-- trades, orders that ended, replaces, market snapshots). The venue rebuilds itself from it at start, so after an
-- engine restart it still knows its orders and trades, and the engine's reconciliation has something to compare with.
create schema if not exists paper;

create table paper.journal (
    seq              bigserial primary key,
    venue            text not null,
    symbol           text not null,
    kind             text not null,
    client_order_id  text,
    data             jsonb not null,
    at               timestamptz not null
);
create index journal_venue on paper.journal (venue, seq);
create index journal_order on paper.journal (venue, client_order_id);
