-- The strategy registry: what each model may trade, the weight it has when active, its backtest, and a version
-- for optimistic concurrency. "weight" stays the routing weight in force (a canary's fraction of its target).
alter table models
    add column target_weight numeric(12, 6),
    add column venues        text[],
    add column symbols       text[],
    add column backtest      jsonb,
    add column paused_from   text check (paused_from in ('candidate', 'canary', 'active')),
    add column version       bigint not null default 0;
update models set target_weight = weight;
alter table models alter column target_weight set not null;
alter table models add constraint models_target_weight check (target_weight >= 0);

-- The append-only audit trail of every control-plane action: by a person through the API, or by a policy.
create table audit (
    seq       bigserial primary key,
    at        timestamptz not null,
    actor     text not null,
    action    text not null,
    subject   text,
    policy    text,
    trigger   jsonb,
    result    text not null,
    detail    jsonb
);
create index audit_at on audit (at desc);

-- Nothing may change or delete an audit row.
create function audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only';
end;
$$;
create trigger audit_no_update before update or delete on audit for each statement execute function audit_append_only();
