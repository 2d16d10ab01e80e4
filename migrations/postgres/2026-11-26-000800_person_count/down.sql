DROP TRIGGER person_count_on_truncate ON person;
DROP TRIGGER person_count_on_delete ON person;
DROP TRIGGER person_count_on_insert ON person;
DROP FUNCTION person_count_change();
DROP TABLE person_count;
