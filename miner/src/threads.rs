//! The mining threads: each hashes its share of the worker's nonce range for the current job
//! and sends the nonces that meet the share difficulty; a new job (or the end of the range)
//! makes it start over.

use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, RwLock,
	},
	thread::JoinHandle,
	time::Duration,
};

use gpow_mining::types::Job;
use tokio::sync::mpsc;

use crate::hasher::{Backend, BATCH};

/// A nonce that meets the share difficulty of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
	/// The job it was found for.
	pub job_id: u64,
	/// The nonce.
	pub nonce: u64,
}

/// What the threads share with the rest of the miner.
#[derive(Default)]
pub struct Shared {
	job: RwLock<Option<Arc<Job>>>,
	generation: AtomicU64,
	hashes: AtomicU64,
	stop: AtomicBool,
}

impl Shared {
	/// Makes `job` the one every thread works on.
	pub fn set_job(&self, job: Job) {
		*self.job.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(job));
		self.generation.fetch_add(1, Ordering::SeqCst);
	}

	/// Stops work on job `job_id` if it is the current one (its block was sealed): the threads
	/// idle until the next job instead of finding shares that can only be stale.
	pub fn finish_job(&self, job_id: u64) {
		let mut job = self.job.write().unwrap_or_else(|e| e.into_inner());
		if job.as_ref().is_some_and(|job| job.job_id == job_id) {
			*job = None;
			self.generation.fetch_add(1, Ordering::SeqCst);
		}
	}

	/// The hashes tried since the last call.
	pub fn take_hashes(&self) -> u64 {
		self.hashes.swap(0, Ordering::Relaxed)
	}

	fn job(&self) -> (u64, Option<Arc<Job>>) {
		let generation = self.generation.load(Ordering::SeqCst);
		(generation, self.job.read().unwrap_or_else(|e| e.into_inner()).clone())
	}
}

/// The running threads; dropping this stops and joins them.
pub struct Threads {
	shared: Arc<Shared>,
	handles: Vec<JoinHandle<()>>,
}

impl Threads {
	/// Starts `count` threads of `backend`; they send what they find to `found`.
	pub fn start(
		count: u16,
		backend: Backend,
		found: mpsc::Sender<Found>,
	) -> std::io::Result<Self> {
		let shared = Arc::new(Shared::default());
		let mut threads = Threads { shared: shared.clone(), handles: Vec::new() };
		for index in 0..count {
			let (shared, found) = (shared.clone(), found.clone());
			threads.handles.push(
				std::thread::Builder::new().name(format!("gpow-miner-{index}")).spawn(
					move || {
						// The lowest CPU priority, so a node on the same machine imports and
						// builds blocks first; where it cannot be lowered, the thread hashes as is.
						let _ = gpow_mining::priority::lower_current_thread();
						mine(index, count, backend, &shared, &found)
					},
				)?,
			);
		}
		Ok(threads)
	}

	/// What the threads share: set the job there, read the hash count.
	pub fn shared(&self) -> &Shared {
		&self.shared
	}
}

impl Drop for Threads {
	fn drop(&mut self) {
		self.shared.stop.store(true, Ordering::Relaxed);
		for handle in self.handles.drain(..) {
			let _ = handle.join();
		}
	}
}

/// Thread `index` of `count`'s part of `start..=end`: an equal split, the last part up to `end`
/// (`None`: the range is too small to give this thread any nonce).
pub fn part(start: u64, end: u64, index: u16, count: u16) -> Option<(u64, u64)> {
	let len = end.checked_sub(start)? / u64::from(count.max(1));
	let first = start + len * u64::from(index);
	if index + 1 >= count {
		Some((first, end))
	} else {
		len.checked_sub(1).map(|extra| (first, first + extra))
	}
}

/// One thread: hash the current job's part until the job changes or the part is done.
fn mine(index: u16, count: u16, backend: Backend, shared: &Shared, found: &mpsc::Sender<Found>) {
	let mut hasher = backend.hasher();
	let mut hits = Vec::new();
	while !shared.stop.load(Ordering::Relaxed) {
		let (generation, job) = shared.job();
		let Some(job) = job else {
			std::thread::sleep(Duration::from_millis(20));
			continue;
		};
		let pre_hash = job.pre_hash.to_fixed_bytes();
		let Some((mut nonce, last)) = part(job.nonce_start, job.nonce_end, index, count) else {
			wait_for_next_job(shared, generation);
			continue;
		};
		loop {
			if shared.stop.load(Ordering::Relaxed)
				|| shared.generation.load(Ordering::SeqCst) != generation
			{
				break;
			}
			let batch = BATCH.min(last - nonce + 1);
			hasher.scan(&pre_hash, nonce, batch, job.share_difficulty, &mut hits);
			shared.hashes.fetch_add(batch, Ordering::Relaxed);
			for nonce in hits.drain(..) {
				// Only fails when the miner is shutting down.
				if found.blocking_send(Found { job_id: job.job_id, nonce }).is_err() {
					return;
				}
			}
			match nonce.checked_add(batch) {
				Some(next) if next <= last => nonce = next,
				// The part is done (years at CPU speed): wait for the next job.
				_ => {
					wait_for_next_job(shared, generation);
					break;
				},
			}
		}
	}
}

/// Sleeps until the job changes (or the miner stops).
fn wait_for_next_job(shared: &Shared, generation: u64) {
	while !shared.stop.load(Ordering::Relaxed)
		&& shared.generation.load(Ordering::SeqCst) == generation
	{
		std::thread::sleep(Duration::from_millis(20));
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parts_cover_the_range_without_overlap() {
		for (start, end, count) in [(0, 99, 3), (0, u64::MAX, 4), (5, 1_000_000, 1), (7, 9, 2)] {
			let mut next = start;
			for index in 0..count {
				let (first, last) = part(start, end, index, count).expect("a part");
				assert_eq!(first, next, "{start} {end} {count} {index}");
				assert!(first <= last);
				next = last.wrapping_add(1);
			}
			assert_eq!(next, end.wrapping_add(1));
		}
	}

	#[test]
	fn only_the_current_job_is_finished() {
		let shared = Shared::default();
		let job = |job_id| Job {
			job_id,
			pre_hash: Default::default(),
			parent_hash: Default::default(),
			number: 1,
			difficulty: 1.into(),
			share_difficulty: 1.into(),
			nonce_start: 0,
			nonce_end: 9,
			worker: "w".into(),
		};
		shared.set_job(job(5));
		shared.finish_job(4);
		assert_eq!(shared.job(), (1, Some(Arc::new(job(5)))));
		shared.finish_job(5);
		assert_eq!(shared.job(), (2, None));
	}

	#[test]
	fn a_range_smaller_than_the_threads_goes_to_the_last_thread() {
		assert_eq!(part(10, 10, 0, 2), None);
		assert_eq!(part(10, 10, 1, 2), Some((10, 10)));
		assert_eq!(part(11, 10, 0, 1), None);
	}
}
