//! Phase timings on standard error when `ARCHLINT_TIMINGS` is set: where a
//! scan spends its time and memory, for profiling without a profiler.

use std::time::Instant;

pub struct Timer {
    last: Option<Instant>,
}

impl Timer {
    pub fn from_env() -> Timer {
        Timer {
            last: std::env::var_os("ARCHLINT_TIMINGS").map(|_| Instant::now()),
        }
    }

    /// Prints the time since the previous lap under `phase`, with the
    /// process's resident memory now and at its peak (Linux only).
    pub fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            eprintln!(
                "timing: {phase:<18} {:>8.1} ms   rss {:>7} KiB   peak {:>7} KiB",
                (now - last).as_secs_f64() * 1000.0,
                status_kib("VmRSS:"),
                status_kib("VmHWM:"),
            );
            self.last = Some(now);
        }
    }
}

/// A `/proc/self/status` field in KiB, 0 where there is none.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
