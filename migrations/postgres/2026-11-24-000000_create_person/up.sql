-- The seed's model: Person(id integer primary key, name varchar(80) unique not null).
-- varchar(80) already counts characters; the CHECK refuses the empty name for writes that
-- bypass the app.
CREATE TABLE person (
    id SERIAL PRIMARY KEY,
    name VARCHAR(80) NOT NULL UNIQUE CHECK (name <> '')
);
