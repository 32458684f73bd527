-- The retention purge deletes mentions by age across every campaign (compliance's daily run):
-- a BRIN index finds the old block ranges without a full scan, and costs ingest almost nothing
-- (mentions arrive roughly in time order, which is what BRIN needs).
CREATE INDEX mentions_time_brin ON mentions USING brin (timestamp);
