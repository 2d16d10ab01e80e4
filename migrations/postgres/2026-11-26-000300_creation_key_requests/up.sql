-- A creation key (a form's one-time key, an API request's Idempotency-Key) now remembers what
-- it asked for and when, so that a key sent again with another name is told apart from a
-- retry, and keys can be forgotten after their lifetime (`idempotency_key_hours`).
-- creation_request: the name the keyed request asked for, as parsed (NULL without a key).
ALTER TABLE person ADD COLUMN creation_request TEXT;
-- creation_key_at: when the key was used, in Unix seconds (NULL without a key).
ALTER TABLE person ADD COLUMN creation_key_at BIGINT;

-- Keys saved before this: their own name, and their lifetime counted from now.
UPDATE person
SET creation_request = name, creation_key_at = CAST(extract(epoch FROM now()) AS BIGINT)
WHERE creation_key IS NOT NULL;

-- The oldest keys first, for forgetting the expired ones; only rows that still hold a key.
CREATE INDEX person_creation_key_at ON person (creation_key_at) WHERE creation_key IS NOT NULL;
