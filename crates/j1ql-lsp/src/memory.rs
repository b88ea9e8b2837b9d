//! Giving freed memory back to the system. Analysing a big document makes and drops many
//! small allocations (syntax trees, lowered queries) and a big response is built and dropped
//! at once; glibc's allocator keeps the freed pages, so the server would stay at its peak
//! size after the work is done.

/// Returns the allocator's free pages to the system (glibc `malloc_trim`); nothing elsewhere.
pub fn release_unused() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory the allocator holds free; it takes no
    // pointers and is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
