//! A bound on nesting checked with the lexer before sqlparser sees a
//! statement. sqlparser limits its own recursion, but a left-assoc chain
//! (`1+1+1...`, `x IS NULL IS NULL...`, `a::t::t...`) parses in a loop into a
//! tree as deep as the chain, and dropping or walking such a tree recurses
//! once per level. The tree's depth is at most the number of tokens on the
//! path from the root to a leaf, counting only tokens not separated by a
//! comma at the same parenthesis level; that is what is bounded here.

use crate::lexer::{Kind, Lexer};
use archlint_model::Dialect;

/// Most tokens on one root-to-leaf path (far beyond hand-written SQL).
const MAX_PATH_TOKENS: usize = 5000;
/// Most nested parentheses or brackets.
const MAX_NESTING: usize = 200;

/// `Err(offset)` of the token where a bound is exceeded.
pub(crate) fn check(text: &str, dialect: Dialect) -> Result<(), usize> {
    let mut lx = Lexer::new(text, dialect);
    // Tokens counted at each open parenthesis level, innermost last.
    let mut levels: Vec<usize> = vec![0];
    let mut path = 0usize;
    while let Some(t) = lx.next_token() {
        match t.kind {
            Kind::Space | Kind::LineComment | Kind::BlockComment => {}
            Kind::Punct('(' | '[') => {
                levels.push(0);
                if levels.len() > MAX_NESTING {
                    return Err(t.start);
                }
            }
            Kind::Punct(')' | ']') => {
                // The closed group is one operand of its parent's chain, as
                // deep as its own: keep its count on the path.
                if levels.len() > 1 {
                    let inner = levels.pop().unwrap_or(0);
                    if let Some(top) = levels.last_mut() {
                        *top += inner;
                    }
                }
            }
            Kind::Punct(',' | ';') => {
                let top = levels.last_mut().map_or(0, std::mem::take);
                path -= top;
            }
            _ => {
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
                path += 1;
                if path > MAX_PATH_TOKENS {
                    return Err(t.start);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_pass_and_long_chains_do_not() {
        let list = format!(
            "SELECT * FROM t WHERE id IN ({})",
            vec!["1"; 50_000].join(", ")
        );
        assert_eq!(check(&list, Dialect::Postgres), Ok(()));
        let chain = format!("SELECT {}1", "1+".repeat(10_000));
        assert!(check(&chain, Dialect::Postgres).is_err());
        let nested = format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500));
        assert!(check(&nested, Dialect::Postgres).is_err());
        assert_eq!(check(")))(((", Dialect::Postgres), Ok(()));
        let stacked = format!(
            "SELECT {}1{}",
            "(".repeat(100),
            ")+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1".repeat(100)
        );
        assert!(check(&stacked, Dialect::Postgres).is_err());
    }
}
