//! Containment after extraction: each independent unit of work (one `.sql`
//! file, one framework's route builder, one group of database collectors, the
//! call analysis, one rule) runs under `catch_unwind`. A panic becomes a
//! `panic` notification naming the file or the unit, and the scan goes on
//! without that unit's output. Extraction has its own guard (`extract.rs`),
//! which also resets the thread's parser.

use archlint_model::{Level, Notification, NotificationKind};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

/// Runs `work` for `unit`; `Err` carries the panic message.
pub(crate) fn run<T>(unit: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(|| {
        if injected(unit) {
            panic!("injected test panic");
        }
        work()
    }))
    .map_err(|payload| message(payload.as_ref()))
}

/// The text of a panic payload.
pub(crate) fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// A `panic` notification: for a file when `path` is set, else for the scan.
pub(crate) fn notification(path: Option<String>, message: String) -> Notification {
    Notification {
        kind: NotificationKind::Panic,
        level: Level::Error,
        path,
        span: None,
        message,
    }
}

static INJECT_PANIC: OnceLock<Vec<String>> = OnceLock::new();

/// Test seam: makes every unit whose name contains one of `needles` panic,
/// so tests can prove a panic is contained. Unit names are file paths (as
/// reported) for extraction and `.sql` files, `routes <framework>`,
/// `database <collector group>`, `call graph` and `rule <id>`. Set once per
/// process; never reachable from scanned input or configuration.
#[doc(hidden)]
pub fn inject_panics_for_tests(needles: &[&str]) {
    let _ = INJECT_PANIC.set(needles.iter().map(|n| n.to_string()).collect());
}

pub(crate) fn injected(unit: &str) -> bool {
    INJECT_PANIC
        .get()
        .is_some_and(|needles| needles.iter().any(|n| unit.contains(n.as_str())))
}
