//! The CPU priority of hashing threads.
//!
//! Hashing takes whatever CPU it is given. On the machine of a node, at normal priority it delays
//! what must not wait: importing a block, building the next template, answering RPC. On a
//! 2-core machine with one hashing thread, a full block took up to twice as long to build or
//! import, so its build hit the deadline and the block came out short. Both the node's own
//! miner and `gpow-miner` therefore hash at the lowest priority.

/// The nice value hashing threads run at: the lowest priority.
pub const HASHING_NICE: i32 = 19;

/// Gives the calling thread the lowest CPU priority ([`HASHING_NICE`]). On Linux the nice value
/// is a thread's own, so only the calling thread is affected. Failing (where thread priorities
/// cannot be lowered) leaves the thread as it was and returns the error.
pub fn lower_current_thread() -> std::io::Result<()> {
	// SAFETY: `setpriority` touches no memory of ours; `who` 0 is the calling thread.
	let result = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, HASHING_NICE) };
	if result == 0 {
		Ok(())
	} else {
		Err(std::io::Error::last_os_error())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn nice_of_this_thread() -> i32 {
		// SAFETY: as above; `getpriority` only returns a value.
		unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
	}

	#[test]
	fn only_the_calling_thread_is_lowered() {
		let before = nice_of_this_thread();
		let lowered = std::thread::spawn(|| {
			lower_current_thread().unwrap();
			nice_of_this_thread()
		})
		.join()
		.unwrap();
		assert_eq!(lowered, HASHING_NICE);
		assert_eq!(nice_of_this_thread(), before, "the spawning thread keeps its priority");
	}
}
