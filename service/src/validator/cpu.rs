//! The CPU time of the calling thread, to report what an evaluation costs.

use std::time::{Duration, Instant};

/// The CPU time the calling thread has used (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`), or
/// `None` where the system does not tell.
fn thread_cpu_time() -> Option<Duration> {
	let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
	// SAFETY: `now` is a valid, writable `timespec` for the duration of the call.
	let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
	if status != 0 {
		return None;
	}
	let seconds = u64::try_from(now.tv_sec).ok()?;
	let nanos = u32::try_from(now.tv_nsec).ok()?;
	Some(Duration::new(seconds, nanos))
}

/// Runs `work` (synchronous, on this thread) and returns its output with the CPU time it took;
/// where the CPU time cannot be read, the wall time (the same for work that does no I/O, on an
/// idle machine, and otherwise more).
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Duration) {
	let (cpu, wall) = (thread_cpu_time(), Instant::now());
	let output = work();
	let spent = match (cpu, thread_cpu_time()) {
		(Some(before), Some(after)) => after.saturating_sub(before),
		_ => wall.elapsed(),
	};
	(output, spent)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn busy_work_takes_cpu_time() {
		let chain = |_| (0..20_000).fold([0u8; 32], |h, _| sp_crypto_hashing::blake2_256(&h));
		let (hash, spent) = measure(|| chain(()));
		assert_ne!(hash, [0; 32]);
		assert!(spent > Duration::ZERO && spent < Duration::from_secs(5), "{spent:?}");
		// Sleeping is not CPU time.
		let ((), slept) = measure(|| std::thread::sleep(Duration::from_millis(50)));
		assert!(slept < Duration::from_millis(25), "{slept:?}");
	}
}
