-- Run by the postgres image on its first start (empty data volume): the second engine keeps its orders, fills,
-- positions and paper venue in a database of its own, so the two engines never share a schema.
CREATE DATABASE tradeplane_engine_b;
