//! Node kinds and field ids of tree-sitter-rust, resolved once into a table.
//!
//! Matching `node.kind()` strings and calling `child_by_field_name` on every
//! node costs string comparisons in the hot loop; the lowering code instead
//! matches on [`Kind`] (a table lookup by kind id) and uses numeric field ids.

use std::sync::OnceLock;
use tree_sitter::{Language, Node};

macro_rules! kinds {
    (named { $($nv:ident = $nn:literal,)* } anon { $($av:ident = $an:literal,)* }) => {
        /// The node kinds the extractor distinguishes; everything else is `Unknown`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Kind {
            Unknown,
            /// A tree-sitter ERROR node.
            Error,
            $($nv,)*
            $($av,)*
        }

        fn named_kind(name: &str) -> Kind {
            match name {
                $($nn => Kind::$nv,)*
                _ => Kind::Unknown,
            }
        }

        fn anon_kind(name: &str) -> Kind {
            match name {
                $($an => Kind::$av,)*
                _ => Kind::Unknown,
            }
        }
    };
}

kinds! {
    named {
        SourceFile = "source_file",
        FunctionItem = "function_item",
        ImplItem = "impl_item",
        TraitItem = "trait_item",
        ModItem = "mod_item",
        DeclarationList = "declaration_list",
        UseDeclaration = "use_declaration",
        ConstItem = "const_item",
        StaticItem = "static_item",
        AttributeItem = "attribute_item",
        InnerAttributeItem = "inner_attribute_item",
        Attribute = "attribute",
        LineComment = "line_comment",
        BlockComment = "block_comment",
        MacroInvocation = "macro_invocation",
        ScopedIdentifier = "scoped_identifier",
        ScopedUseList = "scoped_use_list",
        UseList = "use_list",
        UseAsClause = "use_as_clause",
        UseWildcard = "use_wildcard",
        Identifier = "identifier",
        FieldIdentifier = "field_identifier",
        TypeIdentifier = "type_identifier",
        PrimitiveType = "primitive_type",
        Crate = "crate",
        SelfKw = "self",
        Super = "super",
        Metavariable = "metavariable",
        Block = "block",
        LetDeclaration = "let_declaration",
        ExpressionStatement = "expression_statement",
        EmptyStatement = "empty_statement",
        Label = "label",
        IfExpression = "if_expression",
        ElseClause = "else_clause",
        LetCondition = "let_condition",
        LetChain = "let_chain",
        MatchExpression = "match_expression",
        MatchBlock = "match_block",
        MatchArm = "match_arm",
        MatchPattern = "match_pattern",
        WhileExpression = "while_expression",
        ForExpression = "for_expression",
        LoopExpression = "loop_expression",
        ReturnExpression = "return_expression",
        BreakExpression = "break_expression",
        ContinueExpression = "continue_expression",
        UnsafeBlock = "unsafe_block",
        AsyncBlock = "async_block",
        ConstBlock = "const_block",
        TryBlock = "try_block",
        GenBlock = "gen_block",
        CallExpression = "call_expression",
        Arguments = "arguments",
        FieldExpression = "field_expression",
        GenericFunction = "generic_function",
        AwaitExpression = "await_expression",
        TryExpression = "try_expression",
        ParenthesizedExpression = "parenthesized_expression",
        StructExpression = "struct_expression",
        FieldInitializerList = "field_initializer_list",
        FieldInitializer = "field_initializer",
        ShorthandFieldInitializer = "shorthand_field_initializer",
        BaseFieldInitializer = "base_field_initializer",
        ArrayExpression = "array_expression",
        TupleExpression = "tuple_expression",
        UnitExpression = "unit_expression",
        BinaryExpression = "binary_expression",
        UnaryExpression = "unary_expression",
        ReferenceExpression = "reference_expression",
        TypeCastExpression = "type_cast_expression",
        IndexExpression = "index_expression",
        RangeExpression = "range_expression",
        ClosureExpression = "closure_expression",
        ClosureParameters = "closure_parameters",
        Parameters = "parameters",
        Parameter = "parameter",
        SelfParameter = "self_parameter",
        VariadicParameter = "variadic_parameter",
        FunctionModifiers = "function_modifiers",
        AssignmentExpression = "assignment_expression",
        CompoundAssignmentExpr = "compound_assignment_expr",
        YieldExpression = "yield_expression",
        StringLiteral = "string_literal",
        RawStringLiteral = "raw_string_literal",
        CharLiteral = "char_literal",
        IntegerLiteral = "integer_literal",
        FloatLiteral = "float_literal",
        BooleanLiteral = "boolean_literal",
        NegativeLiteral = "negative_literal",
        EscapeSequence = "escape_sequence",
        StringContent = "string_content",
        TokenTree = "token_tree",
        GenericType = "generic_type",
        GenericTypeWithTurbofish = "generic_type_with_turbofish",
        ScopedTypeIdentifier = "scoped_type_identifier",
        ReferenceType = "reference_type",
        TuplePattern = "tuple_pattern",
        TupleStructPattern = "tuple_struct_pattern",
        StructPattern = "struct_pattern",
        SlicePattern = "slice_pattern",
        RefPattern = "ref_pattern",
        MutPattern = "mut_pattern",
        CapturedPattern = "captured_pattern",
        OrPattern = "or_pattern",
        ReferencePattern = "reference_pattern",
        FieldPattern = "field_pattern",
        ShorthandFieldIdentifier = "shorthand_field_identifier",
        MutableSpecifier = "mutable_specifier",
    }
    anon {
        Comma = ",",
        Eq = "=",
        Semi = ";",
        Bang = "!",
        Dot = ".",
        ColonColon = "::",
        Colon = ":",
        Question = "?",
        Amp = "&",
        Star = "*",
        Minus = "-",
        Plus = "+",
        Percent = "%",
        EqEq = "==",
        NotEq = "!=",
        AndAnd = "&&",
        OrOr = "||",
        Lt = "<",
        Gt = ">",
        Le = "<=",
        Ge = ">=",
        Slash = "/",
        Pipe = "|",
        Caret = "^",
        Shl = "<<",
        Shr = ">>",
        Hash = "#",
        Pound = "$",
        AsyncKw = "async",
        FnKw = "fn",
        AsKw = "as",
        AwaitKw = "await",
        LParen = "(",
        LBracket = "[",
        LBrace = "{",
        RParen = ")",
        RBracket = "]",
        RBrace = "}",
        Underscore = "_",
    }
}

/// Field ids used by the lowering code (0 when the grammar lacks the field,
/// which `child_by_field_id` treats as "no such child").
pub(crate) struct Fields {
    pub alias: u16,
    pub alternative: u16,
    pub argument: u16,
    pub arguments: u16,
    pub body: u16,
    pub condition: u16,
    pub consequence: u16,
    pub field: u16,
    pub function: u16,
    pub left: u16,
    pub list: u16,
    pub macro_: u16,
    pub name: u16,
    pub operator: u16,
    pub parameters: u16,
    pub path: u16,
    pub pattern: u16,
    pub return_type: u16,
    pub right: u16,
    pub trait_: u16,
    pub type_: u16,
    pub type_arguments: u16,
    pub value: u16,
}

/// Kind lookup table and field ids for the Rust grammar.
pub(crate) struct Table {
    kinds: Vec<Kind>,
    pub f: Fields,
}

impl Table {
    /// The shared table, built on first use.
    pub fn get() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(|| Table::build(&tree_sitter_rust::LANGUAGE.into()))
    }

    fn build(lang: &Language) -> Table {
        let count = lang.node_kind_count();
        let mut kinds = Vec::with_capacity(count);
        for id in 0..count {
            let id = u16::try_from(id).unwrap_or(u16::MAX);
            let name = lang.node_kind_for_id(id).unwrap_or("");
            let kind = if lang.node_kind_is_named(id) {
                named_kind(name)
            } else {
                anon_kind(name)
            };
            kinds.push(kind);
        }
        let field = |n: &str| lang.field_id_for_name(n).map_or(0, |f| f.get());
        Table {
            kinds,
            f: Fields {
                alias: field("alias"),
                alternative: field("alternative"),
                argument: field("argument"),
                arguments: field("arguments"),
                body: field("body"),
                condition: field("condition"),
                consequence: field("consequence"),
                field: field("field"),
                function: field("function"),
                left: field("left"),
                list: field("list"),
                macro_: field("macro"),
                name: field("name"),
                operator: field("operator"),
                parameters: field("parameters"),
                path: field("path"),
                pattern: field("pattern"),
                return_type: field("return_type"),
                right: field("right"),
                trait_: field("trait"),
                type_: field("type"),
                type_arguments: field("type_arguments"),
                value: field("value"),
            },
        }
    }

    /// The kind of `node`; ERROR nodes are [`Kind::Error`].
    #[inline]
    pub fn kind(&self, node: Node<'_>) -> Kind {
        let id = node.kind_id();
        match self.kinds.get(usize::from(id)) {
            Some(k) => *k,
            None if node.is_error() => Kind::Error,
            None => Kind::Unknown,
        }
    }
}

impl Kind {
    /// Plain block kinds whose single tail value is the block's value.
    pub fn is_plain_block(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::UnsafeBlock
                | Kind::AsyncBlock
                | Kind::ConstBlock
                | Kind::TryBlock
                | Kind::GenBlock
        )
    }

    /// Expression kinds that may stand alone as a statement's value.
    pub fn is_expr(self) -> bool {
        matches!(
            self,
            Kind::Identifier
                | Kind::SelfKw
                | Kind::Metavariable
                | Kind::ScopedIdentifier
                | Kind::GenericFunction
                | Kind::StringLiteral
                | Kind::RawStringLiteral
                | Kind::CharLiteral
                | Kind::IntegerLiteral
                | Kind::FloatLiteral
                | Kind::BooleanLiteral
                | Kind::CallExpression
                | Kind::FieldExpression
                | Kind::AwaitExpression
                | Kind::TryExpression
                | Kind::ParenthesizedExpression
                | Kind::StructExpression
                | Kind::ArrayExpression
                | Kind::TupleExpression
                | Kind::UnitExpression
                | Kind::BinaryExpression
                | Kind::UnaryExpression
                | Kind::ReferenceExpression
                | Kind::TypeCastExpression
                | Kind::IndexExpression
                | Kind::RangeExpression
                | Kind::ClosureExpression
                | Kind::MacroInvocation
                | Kind::AssignmentExpression
                | Kind::CompoundAssignmentExpr
                | Kind::YieldExpression
        ) || self.is_flow()
    }

    /// Comments are extras that may appear between any two nodes.
    pub fn is_comment(self) -> bool {
        matches!(self, Kind::LineComment | Kind::BlockComment)
    }

    /// Blocks and control flow: the statement walker lowers these by
    /// flattening, even where they appear inside a larger expression.
    pub fn is_flow(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::UnsafeBlock
                | Kind::AsyncBlock
                | Kind::ConstBlock
                | Kind::TryBlock
                | Kind::GenBlock
                | Kind::IfExpression
                | Kind::MatchExpression
                | Kind::WhileExpression
                | Kind::ForExpression
                | Kind::LoopExpression
                | Kind::ReturnExpression
                | Kind::BreakExpression
                | Kind::ContinueExpression
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_kind_exists_in_the_grammar() {
        // A renamed grammar node would silently become Unknown; catch that here.
        let t = Table::get();
        for k in [
            Kind::FunctionItem,
            Kind::CallExpression,
            Kind::TokenTree,
            Kind::ScopedUseList,
            Kind::LetChain,
            Kind::GenBlock,
            Kind::Comma,
            Kind::AwaitKw,
            Kind::FieldIdentifier,
            Kind::ShorthandFieldIdentifier,
        ] {
            assert!(t.kinds.contains(&k), "{k:?} missing from tree-sitter-rust");
        }
        assert_ne!(t.f.macro_, 0);
        assert_ne!(t.f.trait_, 0);
    }
}
