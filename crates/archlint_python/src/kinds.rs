//! Node kinds and field ids of tree-sitter-python, resolved once per extractor
//! into small Rust values so the lowering matches on enums and integers instead
//! of comparing kind and field name strings at every node.

use tree_sitter::{Language, Node};

macro_rules! named_kinds {
    ($($variant:ident = $name:literal,)*) => {
        /// The node kinds the lowering distinguishes; everything else is `Other`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum K {
            $($variant,)*
            // Anonymous tokens that matter: `async` and operators.
            Async,
            Plus,
            Percent,
            EqEq,
            NotEq,
            Lt,
            Gt,
            In,
            NotIn,
            And,
            Or,
            Error,
            Other,
        }

        fn named_kind(name: &str) -> K {
            match name {
                $($name => K::$variant,)*
                _ => K::Other,
            }
        }
    };
}

named_kinds! {
    Module = "module",
    Block = "block",
    ExpressionStatement = "expression_statement",
    TypeAliasStatement = "type_alias_statement",
    ReturnStatement = "return_statement",
    AssertStatement = "assert_statement",
    RaiseStatement = "raise_statement",
    DeleteStatement = "delete_statement",
    PrintStatement = "print_statement",
    ExecStatement = "exec_statement",
    ImportStatement = "import_statement",
    ImportFromStatement = "import_from_statement",
    FutureImportStatement = "future_import_statement",
    IfStatement = "if_statement",
    ElifClause = "elif_clause",
    ElseClause = "else_clause",
    ForStatement = "for_statement",
    WhileStatement = "while_statement",
    TryStatement = "try_statement",
    ExceptClause = "except_clause",
    ExceptGroupClause = "except_group_clause",
    FinallyClause = "finally_clause",
    WithStatement = "with_statement",
    WithClause = "with_clause",
    WithItem = "with_item",
    MatchStatement = "match_statement",
    CaseClause = "case_clause",
    IfClause = "if_clause",
    ForInClause = "for_in_clause",
    FunctionDefinition = "function_definition",
    ClassDefinition = "class_definition",
    DecoratedDefinition = "decorated_definition",
    Decorator = "decorator",
    Parameters = "parameters",
    LambdaParameters = "lambda_parameters",
    Identifier = "identifier",
    TypedParameter = "typed_parameter",
    DefaultParameter = "default_parameter",
    TypedDefaultParameter = "typed_default_parameter",
    ListSplatPattern = "list_splat_pattern",
    DictionarySplatPattern = "dictionary_splat_pattern",
    KeywordSeparator = "keyword_separator",
    PositionalSeparator = "positional_separator",
    TuplePattern = "tuple_pattern",
    ListPattern = "list_pattern",
    PatternList = "pattern_list",
    ExpressionList = "expression_list",
    Assignment = "assignment",
    AugmentedAssignment = "augmented_assignment",
    Yield = "yield",
    Attribute = "attribute",
    Call = "call",
    ArgumentList = "argument_list",
    KeywordArgument = "keyword_argument",
    ListSplat = "list_splat",
    DictionarySplat = "dictionary_splat",
    Subscript = "subscript",
    Slice = "slice",
    String = "string",
    ConcatenatedString = "concatenated_string",
    StringStart = "string_start",
    StringEnd = "string_end",
    Interpolation = "interpolation",
    Integer = "integer",
    Float = "float",
    True = "true",
    False = "false",
    NoneLit = "none",
    List = "list",
    Tuple = "tuple",
    Set = "set",
    Dictionary = "dictionary",
    Pair = "pair",
    ListComprehension = "list_comprehension",
    SetComprehension = "set_comprehension",
    DictionaryComprehension = "dictionary_comprehension",
    GeneratorExpression = "generator_expression",
    BinaryOperator = "binary_operator",
    BooleanOperator = "boolean_operator",
    ComparisonOperator = "comparison_operator",
    NotOperator = "not_operator",
    UnaryOperator = "unary_operator",
    Await = "await",
    ParenthesizedExpression = "parenthesized_expression",
    ConditionalExpression = "conditional_expression",
    NamedExpression = "named_expression",
    Lambda = "lambda",
    AsPattern = "as_pattern",
    AsPatternTarget = "as_pattern_target",
    Type = "type",
    GenericType = "generic_type",
    TypeParameter = "type_parameter",
    UnionType = "union_type",
    MemberType = "member_type",
    DottedName = "dotted_name",
    AliasedImport = "aliased_import",
    RelativeImport = "relative_import",
    ImportPrefix = "import_prefix",
    WildcardImport = "wildcard_import",
}

fn anonymous_kind(name: &str) -> K {
    match name {
        "async" => K::Async,
        "+" => K::Plus,
        "%" => K::Percent,
        "==" => K::EqEq,
        "!=" => K::NotEq,
        "<" => K::Lt,
        ">" => K::Gt,
        "in" => K::In,
        "not in" => K::NotIn,
        "and" => K::And,
        "or" => K::Or,
        _ => K::Other,
    }
}

macro_rules! fields {
    ($($field:ident = $name:literal,)*) => {
        /// Field ids of the grammar; a field the grammar lacks gets an id no child carries.
        pub(crate) struct Fields {
            $(pub $field: u16,)*
        }

        impl Fields {
            fn new(lang: &Language) -> Self {
                Fields {
                    $($field: lang.field_id_for_name($name).map_or(NO_FIELD, |f| f.get()),)*
                }
            }
        }
    };
}

/// Field id used for "no such field" (a child without a field reports 0).
const NO_FIELD: u16 = u16::MAX;

fields! {
    alias = "alias",
    alternative = "alternative",
    argument = "argument",
    arguments = "arguments",
    attribute = "attribute",
    body = "body",
    condition = "condition",
    consequence = "consequence",
    definition = "definition",
    expression = "expression",
    function = "function",
    key = "key",
    left = "left",
    module_name = "module_name",
    name = "name",
    object = "object",
    operator = "operator",
    parameters = "parameters",
    return_type = "return_type",
    right = "right",
    subject = "subject",
    superclasses = "superclasses",
    ty = "type",
    value = "value",
}

/// The kind table (indexed by tree-sitter kind id) and the field ids.
pub(crate) struct Kinds {
    table: Vec<K>,
    pub f: Fields,
}

impl Kinds {
    pub fn new(lang: &Language) -> Self {
        let count = lang.node_kind_count();
        let mut table = Vec::with_capacity(count);
        for id in 0..count {
            let id = u16::try_from(id).unwrap_or(u16::MAX);
            let kind = match lang.node_kind_for_id(id) {
                Some(name) if lang.node_kind_is_named(id) => named_kind(name),
                Some(name) => anonymous_kind(name),
                None => K::Other,
            };
            table.push(kind);
        }
        Kinds {
            table,
            f: Fields::new(lang),
        }
    }

    /// The kind of a node. ERROR nodes use a symbol outside the table.
    #[inline]
    pub fn of(&self, node: Node<'_>) -> K {
        // One symbol lookup: ERROR's symbol lies outside the table.
        match self.table.get(usize::from(node.kind_id())) {
            Some(k) => *k,
            None if node.is_error() => K::Error,
            None => K::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_kind_and_field_exists_in_the_grammar() {
        let lang: Language = tree_sitter_python::LANGUAGE.into();
        let kinds = Kinds::new(&lang);
        // `except_group_clause` is absent from tree-sitter-python 0.25 and harmless.
        for k in [K::Call, K::Module, K::String, K::NotIn, K::Async, K::Plus] {
            assert!(kinds.table.contains(&k), "{k:?} missing");
        }
        let f = &kinds.f;
        for id in [f.body, f.name, f.left, f.right, f.ty, f.value, f.subject] {
            assert_ne!(id, NO_FIELD);
        }
    }
}
