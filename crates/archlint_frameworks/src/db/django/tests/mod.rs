//! Unit tests of the Django database model, one file per concern, on
//! projects built from source strings.

mod support;

mod drf;
mod lazy;
mod migrations;
mod orm;
mod schema;
