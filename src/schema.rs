// @generated automatically by Diesel CLI.

diesel::table! {
    person (id) {
        id -> Integer,
        name -> Text,
    }
}
