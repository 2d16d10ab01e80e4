-- The list sorts by `name_key` (then id) on both backends, so the order must be the same on
-- both: SQLite compares text bytewise, and so does PostgreSQL under the "C" collation (on
-- UTF-8 text, bytewise is code point order). Without it the order would follow the server's
-- locale. Changing the collation rebuilds the unique index on the key, which then serves the
-- sort, the keyset cursors and the prefix search of 1-2 characters.
ALTER TABLE person ALTER COLUMN name_key TYPE TEXT COLLATE "C";

-- Search of 3 or more characters anywhere in the name: a GIN trigram index (pg_trgm) serves
-- `name_key LIKE '%...%'`. pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension (a database owner may create it), but a server may lack it or refuse it: then
-- the schema is complete without the index, searches read every row, and the app says so in
-- its log at launch (src/models/list/search_index.rs).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX person_name_key_trgm ON person USING gin (name_key gin_trgm_ops);
        EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
            RAISE NOTICE 'pg_trgm could not be used (%): search reads every row', SQLERRM;
        END;
    ELSE
        RAISE NOTICE 'pg_trgm is not available on this server: search reads every row';
    END IF;
END
$$;
