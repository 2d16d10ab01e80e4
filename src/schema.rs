// @generated automatically by Diesel CLI.

diesel::table! {
    person (id) {
        id -> Integer,
        name -> Text,
        name_key -> Text,
        version -> Integer,
        creation_key -> Nullable<Text>,
        creation_request -> Nullable<Text>,
        creation_key_at -> Nullable<BigInt>,
        created_at -> Nullable<Timestamp>,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    person_count (slot) {
        slot -> Integer,
        people -> BigInt,
        trashed -> BigInt,
    }
}

diesel::table! {
    person_history (id) {
        id -> Integer,
        person_id -> Integer,
        kind -> Text,
        name_before -> Nullable<Text>,
        name_after -> Nullable<Text>,
        version -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    person_trash (id) {
        id -> Integer,
        name -> Text,
        name_key -> Text,
        version -> Integer,
        created_at -> Nullable<Timestamp>,
        updated_at -> Nullable<Timestamp>,
        deleted_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(person, person_count, person_history, person_trash,);
