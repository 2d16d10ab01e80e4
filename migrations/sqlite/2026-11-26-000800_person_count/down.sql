DROP TRIGGER person_count_on_delete;
DROP TRIGGER person_count_on_insert;
DROP TABLE person_count;
