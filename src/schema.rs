// @generated automatically by Diesel CLI.

diesel::table! {
    person (id) {
        id -> Integer,
        name -> Text,
        name_key -> Text,
        version -> Integer,
        creation_key -> Nullable<Text>,
        created_at -> Nullable<Timestamp>,
        updated_at -> Nullable<Timestamp>,
    }
}
