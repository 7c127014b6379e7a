//! GitHub's hard limits on an uploaded SARIF log, and how the writer stays
//! under them: going over any of them gets the whole upload rejected, so the
//! least severe results are dropped instead, and the log says so.

use archlint_model::Finding;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{self, Write};

/// The limits the SARIF writer enforces. Tests shrink them; the writer uses
/// [`Limits::GITHUB`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Results per run (GitHub rejects more than 25,000).
    pub results: usize,
    /// `relatedLocations` per result (GitHub rejects more than 1,000 locations).
    pub related: usize,
    /// Thread-flow locations per result (GitHub rejects more than 10,000).
    pub flow: usize,
    /// Size of the gzip-compressed log. GitHub's limit is 10 MB; this counts a
    /// decimal 10 MB, a little under the 10 MiB some tools check.
    pub gzip_bytes: usize,
}

impl Limits {
    pub(crate) const GITHUB: Limits = Limits {
        results: 25_000,
        related: 1_000,
        flow: 10_000,
        gzip_bytes: 10_000_000,
    };
}

/// Indices of findings ordered most severe first: level descending, then
/// their original order. Keeping a prefix of this keeps the most severe.
pub(crate) fn severity_order(findings: &[&Finding]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    // Stable sort: equal levels keep their original order.
    order.sort_by(|&a, &b| findings[b].level.cmp(&findings[a].level));
    order
}

/// The first `keep` indices of `order`, back in ascending (original) order.
pub(crate) fn kept(order: &[usize], keep: usize) -> Vec<usize> {
    let mut kept: Vec<usize> = order.iter().take(keep).copied().collect();
    kept.sort_unstable();
    kept
}

/// Size of `bytes` once gzip-compressed at the default level (what upload
/// tools use). Skipped when the bytes are so few that even incompressible
/// data could not exceed `limit`.
pub(crate) fn fits_gzipped(bytes: &[u8], limit: usize) -> io::Result<bool> {
    // Deflate adds at most 5 bytes per 16 KiB stored block, gzip 18 bytes of framing.
    let worst_case = bytes.len() + bytes.len() / 16_384 * 5 + 64;
    if worst_case <= limit {
        return Ok(true);
    }
    let mut encoder = GzEncoder::new(CountingSink(0), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.0 <= limit)
}

/// Renders with fewer and fewer results until the compressed log fits.
/// `render(k)` must render the `k` most severe results (and say how many
/// were dropped). Returns the bytes and `k`.
pub(crate) fn fit_gzip(
    total: usize,
    limit: usize,
    mut render: impl FnMut(usize) -> io::Result<Vec<u8>>,
) -> io::Result<(Vec<u8>, usize)> {
    let mut keep = total;
    loop {
        let bytes = render(keep)?;
        if keep == 0 || fits_gzipped(&bytes, limit)? {
            return Ok((bytes, keep));
        }
        // Shrink in proportion to the overshoot, with a 5 % margin, so a few
        // rounds suffice; always drop at least one result so the loop ends.
        let size = gzip_len(&bytes)?.max(1);
        let estimate = (keep as u128 * limit as u128 * 95 / (size as u128 * 100)) as usize;
        keep = estimate.min(keep - 1);
    }
}

fn gzip_len(bytes: &[u8]) -> io::Result<usize> {
    let mut encoder = GzEncoder::new(CountingSink(0), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.0)
}

/// A writer that only counts bytes.
struct CountingSink(usize);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_inputs_fit_without_compressing() {
        assert!(fits_gzipped(b"{}", 100).unwrap());
    }

    #[test]
    fn compression_is_measured_for_large_inputs() {
        let repetitive = vec![b'a'; 100_000];
        assert!(fits_gzipped(&repetitive, 10_000).unwrap());
        // Pseudo-random bytes do not compress.
        let mut x: u32 = 1;
        let noise: Vec<u8> = (0..100_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x.to_le_bytes()[0]
            })
            .collect();
        assert!(!fits_gzipped(&noise, 50_000).unwrap());
    }

    #[test]
    fn fit_gzip_shrinks_until_it_fits() {
        // Each "result" is 1,000 incompressible-ish bytes.
        let render = |k: usize| -> io::Result<Vec<u8>> {
            let mut x: u32 = 7;
            Ok((0..k * 1000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x.to_le_bytes()[0]
                })
                .collect())
        };
        let (bytes, keep) = fit_gzip(100, 40_000, render).unwrap();
        assert!(keep < 40 && keep > 30, "kept {keep}");
        assert!(gzip_len(&bytes).unwrap() <= 40_000);
    }
}
