//! Settings for mimalloc, the allocator of the programs that generate (the `xtask` binary, the
//! generation benchmarks, `peak-memory`), each of which declares it as its global allocator.
//!
//! Generation is allocation-bound (JSON trees, typed documents, layout tokens, strings) and
//! mimalloc takes a quarter to a third off its wall time against glibc's allocator. Left to its
//! defaults it keeps freed pages for a second before giving them back, so memory freed by one
//! stage is not there for the next and the peak grows by half (a YAML document's parse alone
//! leaves a third of the peak behind). So freed memory goes back at once, except while the
//! code is rendered: little is alive then and a great many short-lived strings and layout
//! tokens come and go, which mimalloc's default serves a fifth faster.
//!
//! It is built without transparent huge pages (the `no_thp` feature of `libmimalloc-sys`, in
//! the workspace manifest). With them, mimalloc asks the kernel for 2 MiB pages, and every page
//! that an immediate purge gives back costs a fresh 2 MiB page, zeroed by the kernel, when it is
//! used again: on cloudflare.json a quarter of the whole run went to zeroing pages, and the
//! resident peak counted whole huge pages (94 MB against 86 MB without them).

use std::sync::atomic::{AtomicBool, Ordering};

/// The allocator to declare as `#[global_allocator]`.
pub use mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (libmimalloc-sys names no constant
/// for it); `purge_delay_is_the_option_we_mean` fails if an upgrade moves it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Whether this program's allocator is mimalloc and uses these settings.
static CONFIGURED: AtomicBool = AtomicBool::new(false);

/// Call first thing in `main` of a program whose global allocator is mimalloc: freed memory
/// goes back to the system at once, and the pipeline may switch that off while it renders
/// (elsewhere, in tests, the pipeline leaves the allocator alone).
pub fn configure() {
    CONFIGURED.store(true, Ordering::Relaxed);
    return_freed_memory_at_once();
}

/// Makes mimalloc return freed memory to the system at once.
pub fn return_freed_memory_at_once() {
    set_purge_delay(0);
}

/// Makes mimalloc keep freed memory for a while (its default, a second) before returning it:
/// allocations reuse freed pages instead of faulting fresh ones in, and with two threads no
/// page given back costs a TLB flush on the other core.
pub fn keep_freed_memory() {
    set_purge_delay(DEFAULT_PURGE_DELAY);
}

/// mimalloc 3's default `purge_delay`, in milliseconds.
const DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// Sets the purge delay, if [`configure`] was called and `MIMALLOC_PURGE_DELAY` in the
/// environment does not say otherwise.
fn set_purge_delay(milliseconds: std::ffi::c_long) {
    if !CONFIGURED.load(Ordering::Relaxed) || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: setting an option is thread-safe and only changes when freed pages are purged.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, milliseconds) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_is_the_option_we_mean() {
        // purge_delay defaults to 1000 (ms) in mimalloc 3's options.c; its neighbours default
        // to other values (deprecated_eager_commit_delay 1, use_numa_nodes 0).
        // SAFETY: reading an option has no side effects.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(
            value,
            super::DEFAULT_PURGE_DELAY,
            "option {} is not purge_delay in this mimalloc",
            super::PURGE_DELAY
        );
    }
}
