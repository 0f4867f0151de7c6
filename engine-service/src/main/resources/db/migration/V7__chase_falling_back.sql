-- A chase that decided to fall back says so before it cancels its order, so a restart finishes the fallback instead
-- of taking the canceled order for the end of the chase; a fallback market order the rails refuse ends the chase as
-- 'fallback_refused'.
alter table chases drop constraint chases_state_check;
alter table chases add constraint chases_state_check
    check (state in ('placing', 'working', 'falling_back', 'done', 'fell_back', 'canceled', 'fallback_refused'));
drop index chases_working;
create index chases_working on chases (state) where state in ('placing', 'working', 'falling_back');
