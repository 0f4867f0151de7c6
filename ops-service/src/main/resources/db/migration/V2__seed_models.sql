-- Two models to start with, so a signal without a model has somewhere to go. Change them through the database
-- (an API to manage models comes with the strategy registry).
insert into models (name, status, weight, owner) values
    ('trend-follower', 'active', 0.6, 'tradeplane'),
    ('mean-reversion', 'active', 0.4, 'tradeplane');
