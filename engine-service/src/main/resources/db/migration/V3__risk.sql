-- Risk: limits and guard states (kill switch, breakers, monitors) as versioned JSON documents, and an audit trail.

create table risk_settings (
    name        text primary key,
    value       jsonb not null,
    version     bigint not null,
    updated_at  timestamptz not null
);

create table risk_audit (
    id      bigserial primary key,
    at      timestamptz not null,
    actor   text not null,
    action  text not null,
    detail  text,
    before  jsonb,
    after   jsonb
);
create index risk_audit_at on risk_audit (at desc);
