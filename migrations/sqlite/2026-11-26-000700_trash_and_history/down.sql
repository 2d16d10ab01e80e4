DROP TRIGGER person_history_on_rename;
DROP TRIGGER person_history_on_create;
DROP TABLE person_history;
DROP TABLE person_trash;
