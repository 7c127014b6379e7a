//! placeholder
pub fn extract(_src: &[u8]) -> archlint_model::FileFacts { archlint_model::FileFacts::default() }
