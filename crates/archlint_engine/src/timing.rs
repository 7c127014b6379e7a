//! Phase timings on standard error when `ARCHLINT_TIMINGS` is set: where a
//! scan spends its time and memory, for profiling without a profiler.

use std::time::Instant;

pub struct Timer {
    last: Option<Instant>,
    /// Process CPU time (all threads) at the previous lap, in milliseconds.
    cpu: f64,
}

impl Timer {
    pub fn from_env() -> Timer {
        let last = std::env::var_os("ARCHLINT_TIMINGS").map(|_| Instant::now());
        Timer {
            last,
            cpu: cpu_ms(),
        }
    }

    /// Prints the time since the previous lap under `phase`, the CPU time
    /// of all threads in it (how many workers it kept busy), and the
    /// process's resident memory now and at its peak (Linux only).
    pub fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            let cpu = cpu_ms();
            eprintln!(
                "timing: {phase:<18} {:>8.1} ms   cpu {:>8.1} ms   rss {:>7} KiB   peak {:>7} KiB",
                (now - last).as_secs_f64() * 1000.0,
                cpu - self.cpu,
                status_kib("VmRSS:"),
                status_kib("VmHWM:"),
            );
            self.last = Some(now);
            self.cpu = cpu;
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

/// User plus system time of the whole process so far, in milliseconds
/// (0 where it cannot be read).
fn cpu_ms() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: `getrusage` writes one `rusage` through the pointer, which
        // points at properly sized and aligned storage; the value is read only
        // when the call reports success, so it is initialised then.
        let usage = unsafe {
            if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
                return 0.0;
            }
            usage.assume_init()
        };
        let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
        ms(usage.ru_utime) + ms(usage.ru_stime)
    }
    #[cfg(not(target_os = "linux"))]
    {
        0.0
    }
}
