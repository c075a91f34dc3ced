-- Orleans' ADO.NET providers (clustering, grain storage, reminders) read the SQL they run from this table at
-- start-up, by key. The scripts after this one add their tables, functions and queries.
-- Applied by the silo (PostgreSQL membership or journal) and by `ofs format --postgres`, once, recorded in
-- ofs_schema_version. Every statement is idempotent, so running the files by hand with psql is safe too.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
