//! Settings for mimalloc, the allocator of the programs that generate (the `xtask` binary, the
//! generation benchmarks, `peak-memory`), each of which declares it as its global allocator.
//!
//! Generation is allocation-bound (JSON trees, token streams, syntax trees, strings) and
//! mimalloc takes a quarter to a third off its wall time against glibc's allocator. Left to its
//! defaults it keeps freed pages for a while, so memory freed by one stage is not there for
//! the next and the peak grows by half; purging at once keeps the peak at glibc's level.
//!
//! It is built without transparent huge pages (the `no_thp` feature of `libmimalloc-sys`, in
//! the workspace manifest). With them, mimalloc asks the kernel for 2 MiB pages, and every page
//! that an immediate purge gives back costs a fresh 2 MiB page, zeroed by the kernel, when it is
//! used again: on cloudflare.json a quarter of the whole run went to zeroing pages, and the
//! resident peak counted whole huge pages (94 MB against 86 MB without them).

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (libmimalloc-sys names no constant
/// for it); `purge_delay_is_the_option_we_mean` fails if an upgrade moves it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc return freed memory to the system at once. Call first thing in `main`.
pub fn return_freed_memory_at_once() {
    // SAFETY: setting an option is thread-safe and only changes when freed pages are purged.
    unsafe { libmimalloc_sys::mi_option_set_default(PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_is_the_option_we_mean() {
        // purge_delay defaults to 1000 (ms) in mimalloc 3's options.c; its neighbours default
        // to other values (deprecated_eager_commit_delay 1, use_numa_nodes 0).
        // SAFETY: reading an option has no side effects.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(value, 1000, "option {} is not purge_delay in this mimalloc", super::PURGE_DELAY);
    }
}
