DROP TRIGGER person_history_on_rename ON person;
DROP FUNCTION person_history_on_rename();
DROP TRIGGER person_history_on_create ON person;
DROP FUNCTION person_history_on_create();
DROP TABLE person_history;
DROP TABLE person_trash;
