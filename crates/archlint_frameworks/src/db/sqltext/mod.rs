//! SQL text helpers shared by the database extractors.
//!
//! - [`consts::Consts`]: constant strings and constant names across files
//!   (module and class constants, Rust associated consts, imports);
//! - [`detect::looks_like_sql`]: whether a string starts like SQL;
//! - [`pieces::Pieces`]: text rebuilt from code, constant pieces and holes,
//!   with the format-string parsers of `%`, `str.format` and `format!`;
//! - [`locals::Locals`]: a function's local definitions by name and position;
//! - [`shape::Shaper`]: rebuilt text to the model's `SqlText` and shape,
//!   with a note for constant SQL that does not parse;
//! - [`knowledge::raw`]: the vocabulary of `rules/frameworks/db/raw.toml`.

pub mod consts;
pub mod detect;
pub mod exprs;
pub mod knowledge;
pub mod locals;
pub mod pieces;
pub mod scope;
pub mod shape;
#[cfg(test)]
pub(crate) mod testutil;
pub mod usage;

pub use consts::{ConstStr, Consts};
pub use detect::{is_migration_path, looks_like_sql};
pub use pieces::{Piece, Pieces};
pub use shape::{Shaped, Shaper};

use archlint_model::Taint;

/// The worse of two taints (`Constant < Unknown < Parameter < Request`).
pub fn join(a: Taint, b: Taint) -> Taint {
    a.max(b)
}
