//! Process-wide settings a scanning binary applies once at start-up.

/// Turns transparent huge pages off for this process (Linux; elsewhere a
/// no-op). The allocator asks for huge pages on its arenas, and the facts of
/// a scan are many small allocations spread over them: with 2 MiB pages a
/// partly used page costs the whole 2 MiB, which measured as 15-20 % of peak
/// memory on large projects, for no measurable speed.
pub fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments (no
        // pointers), changes only a flag of this process's memory map and
        // cannot affect memory safety; on an old kernel it fails with EINVAL,
        // which is ignored.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}
