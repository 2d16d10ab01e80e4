DROP TRIGGER person_trash_count_on_truncate ON person_trash;
DROP TRIGGER person_trash_count_on_delete ON person_trash;
DROP TRIGGER person_trash_count_on_insert ON person_trash;
DROP FUNCTION person_trash_count_change();
ALTER TABLE person_count DROP COLUMN trashed;
