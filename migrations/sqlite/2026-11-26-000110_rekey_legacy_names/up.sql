-- Rows saved before names were keyed by the app got `lower(name)` as their key (ASCII-only
-- on SQLite, no Unicode normalisation, no whitespace collapse). SQL cannot apply the app's
-- rule, so the app re-keys every row in Rust right after this migration, in the same
-- transaction (src/models/legacy_keys.rs): nothing changes here.
SELECT 1;
