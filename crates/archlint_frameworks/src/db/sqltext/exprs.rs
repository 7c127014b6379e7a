//! Expression shapes the text builders share: the operands of a `+` chain,
//! flattened without recursion (SQL is often built from dozens of pieces,
//! `"SELECT a, " + "b " + ...`, which nest on the left).

use archlint_model::{BinOp, Expr, ExprKind};

/// Most operands kept from one chain.
const MAX_OPERANDS: usize = 4096;

/// The operands of `a + b + c` in source order (`e` itself when it is not
/// an addition).
pub fn add_operands(e: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        if out.len() + stack.len() >= MAX_OPERANDS {
            out.push(x);
            continue;
        }
        match &x.kind {
            ExprKind::Binary(BinOp::Add, l, r) => {
                stack.push(r);
                stack.push(l);
            }
            _ => out.push(x),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_chains_flatten_in_order() {
        // (The Python extractor bounds nesting near 48 levels.)
        let src = format!(
            "x = {}\n",
            (0..40)
                .map(|i| format!("'p{i} '"))
                .collect::<Vec<_>>()
                .join(" + ")
        );
        let f = archlint_python::PythonExtractor::new().extract(src.as_bytes());
        let archlint_model::StmtKind::Assign { value, .. } = &f.module_stmts[0].kind else {
            panic!()
        };
        let ops = add_operands(value);
        assert_eq!(ops.len(), 40);
        assert_eq!(ops[0].as_str(), Some("p0 "));
        assert_eq!(ops[39].as_str(), Some("p39 "));
    }
}
