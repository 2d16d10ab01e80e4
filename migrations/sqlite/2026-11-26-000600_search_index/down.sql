DROP TRIGGER person_fts_rename;
DROP TRIGGER person_fts_delete;
DROP TRIGGER person_fts_insert;
DROP TABLE person_fts;
