-- The seed's model: Person(id integer primary key, name varchar(80) unique not null).
-- SQLite ignores the varchar length, so the CHECK holds it to 80 characters (length()
-- counts characters on TEXT) and refuses the empty name even for writes that bypass the app.
CREATE TABLE person (
    id INTEGER PRIMARY KEY NOT NULL,
    name VARCHAR(80) NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80)
);
