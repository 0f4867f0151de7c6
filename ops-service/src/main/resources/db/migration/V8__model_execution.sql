-- How a model's MARKET signals are worked when they do not say (an execution algorithm and its parameters).
alter table models add column execution jsonb;
