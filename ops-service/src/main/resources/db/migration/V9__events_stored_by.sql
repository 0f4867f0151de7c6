-- Which OPS consumer stored each event: an event read again is passed on by the consumer that stored it without
-- learning so (its commit outlived the wait), never by another replica that got an outbox duplicate of it.
alter table events add column stored_by text;
