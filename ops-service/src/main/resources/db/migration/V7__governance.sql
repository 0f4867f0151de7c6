-- Who or what put a model in its status, and why ("alice: rollout", "policy:drawdown-pause: realized_pnl -612 below -500").
alter table models add column status_reason text;

-- Trading paused at the control plane, globally (scope 'global') or for one venue (scope 'venue:<VENUE>'): while a
-- row exists OPS refuses new signals it covers with 422 TRADING_PAUSED. A resume deletes the row.
create table trading_pauses (
    scope   text primary key check (scope = 'global' or scope like 'venue:%'),
    reason  text not null,
    actor   text not null,
    policy  text,
    since   timestamptz not null
);
