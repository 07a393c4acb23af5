//! Keeping the system allocator's bookkeeping out of the timed sections.
//!
//! A benchmark's setup may allocate and free a lot (10,000 REP holders); with glibc's default
//! settings the first allocations of the timed extrinsic then pay for consolidating and sorting
//! every chunk the setup freed, a cost that grows with the setup and that the Wasm executor
//! (a fresh heap per call) never pays. So fast bins are off, the heap is never trimmed (no page
//! faults on regrowth), large blocks come from the heap, and [`settle`] makes the allocator do
//! its sorting right after each commit, before the timer starts.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
	use core::ffi::c_int;

	extern "C" {
		fn mallopt(param: c_int, value: c_int) -> c_int;
	}

	/// `mallopt` parameters of glibc's `malloc.h`.
	const M_MXFAST: c_int = 1;
	const M_TRIM_THRESHOLD: c_int = -1;
	const M_MMAP_THRESHOLD: c_int = -3;

	pub fn configure() {
		// SAFETY: `mallopt` only changes allocator parameters; it is called before any thread
		// is spawned and takes plain integers.
		unsafe {
			mallopt(M_MXFAST, 0);
			mallopt(M_TRIM_THRESHOLD, 1 << 30);
			mallopt(M_MMAP_THRESHOLD, 32 << 20);
		}
	}
}

/// Sets the allocator up for benchmarking (see the module docs); call once at start.
pub fn configure() {
	#[cfg(all(target_os = "linux", target_env = "gnu"))]
	glibc::configure();
}

/// Makes the allocator sort the chunks freed so far: a large request walks the whole list of
/// freed chunks, so the timed section that follows does not.
pub fn settle() {
	let block: Vec<u8> = Vec::with_capacity(1 << 20);
	drop(std::hint::black_box(block));
}
