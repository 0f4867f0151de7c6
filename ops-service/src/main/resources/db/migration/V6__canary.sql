-- When a model entered its current status: the canary manager judges a model on what it did since.
alter table models add column status_since timestamptz;
update models set status_since = updated_at;
alter table models alter column status_since set not null;
alter table models alter column status_since set default now();

-- Every judgement of the canary manager, with the statistics and thresholds behind it.
create table canary_decisions (
    seq            bigserial primary key,
    at             timestamptz not null,
    model          text not null,
    status_before  text not null,
    decision       text not null check (decision in ('promote', 'hold', 'demote')),
    status_after   text not null,
    stats          jsonb not null,
    thresholds     jsonb not null,
    reason         text not null
);
create index canary_decisions_model on canary_decisions (model, seq desc);
