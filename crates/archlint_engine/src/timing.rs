//! Phase timings on standard error when `ARCHLINT_TIMINGS` is set: where a
//! scan spends its time, for profiling without a profiler.

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

    /// Prints the time since the previous lap under `phase`.
    pub fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            eprintln!(
                "timing: {phase:<16} {:>8.1} ms",
                (now - last).as_secs_f64() * 1000.0
            );
            self.last = Some(now);
        }
    }
}
