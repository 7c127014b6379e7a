//! SQL text helpers shared by the database extractors (to be written).
