//! The merged project: every analysed file with its facts, in a fixed order
//! (sorted by path), so file indices are deterministic.

use crate::facts::{Class, FileFacts, Function, Language};
use crate::finding::Location;
use crate::route::FuncRef;
use crate::span::Span;

/// Where a file sits in its language's module system.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleName {
    /// Python: dotted module path relative to the scan root (`shop.api.views`;
    /// a package's `__init__.py` is the package). Rust: `crate::a::b`-style
    /// path inside its crate (`crate` for the crate root).
    pub module: String,
    /// Rust: the crate's name (from Cargo.toml, `-` turned into `_`); empty for Python.
    pub crate_name: String,
    /// Python: whether the file is a package's `__init__.py`.
    pub is_package: bool,
}

/// One analysed file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the project root, `/`-separated.
    pub path: String,
    pub language: Language,
    pub module: ModuleName,
    pub facts: FileFacts,
}

/// A class in the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassRef {
    pub file: u32,
    pub class: u32,
}

/// All files of a scan, sorted by path.
#[derive(Clone, Debug, Default)]
pub struct Project {
    pub files: Vec<SourceFile>,
}

impl Project {
    pub fn new(mut files: Vec<SourceFile>) -> Self {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Project { files }
    }

    pub fn file(&self, idx: u32) -> Option<&SourceFile> {
        self.files.get(idx as usize)
    }

    pub fn func(&self, f: FuncRef) -> Option<&Function> {
        self.file(f.file)?.facts.functions.get(f.func as usize)
    }

    pub fn class(&self, c: ClassRef) -> Option<&Class> {
        self.file(c.file)?.facts.classes.get(c.class as usize)
    }

    /// A location in file `file`.
    pub fn location(&self, file: u32, span: Span) -> Location {
        Location {
            path: self.file(file).map(|f| f.path.clone()).unwrap_or_default(),
            span,
        }
    }

    /// Iterates over every function with its reference.
    pub fn functions(&self) -> impl Iterator<Item = (FuncRef, &Function)> {
        self.files.iter().enumerate().flat_map(|(fi, f)| {
            f.facts.functions.iter().enumerate().map(move |(i, func)| {
                (
                    FuncRef {
                        file: fi as u32,
                        func: i as u32,
                    },
                    func,
                )
            })
        })
    }
}
