//! The bounded table of workers: each has a slot, and so a nonce range of its own that no other
//! worker gets while it is in the table, and its counts of shares, blocks, stale and invalid
//! submissions.
//!
//! The table holds at most `capacity` workers. A new worker takes a free slot, else the slot of
//! the worker idle the longest if that one has been idle at least `idle_ms` (its counts are
//! forgotten), else it is refused (`TooManyWorkers`), so workers that keep mining are never
//! pushed out by a flood of new names.

use std::collections::HashMap;

use crate::{
	error::{ErrorKind, Refusal},
	types::WorkerShares,
};

/// The longest worker name accepted.
pub const MAX_NAME_LEN: usize = 64;

/// Checks a worker name: 1 to [`MAX_NAME_LEN`] characters of `A-Za-z0-9._-`.
pub fn check_name(name: &str) -> Result<(), Refusal> {
	let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
	if name.is_empty() || name.len() > MAX_NAME_LEN || !name.chars().all(allowed) {
		return Err(Refusal::new(
			ErrorKind::BadWorker,
			format!(
				"worker names are 1 to {MAX_NAME_LEN} characters of A-Za-z0-9._- (got {} bytes)",
				name.len()
			),
		));
	}
	Ok(())
}

/// One worker: its slot and its counts.
struct Worker {
	slot: usize,
	shares: WorkerShares,
}

/// The workers known to the node, at most `capacity` of them.
pub struct WorkerTable {
	workers: HashMap<String, Worker>,
	free: Vec<usize>,
	range_len: u64,
	idle_ms: u64,
}

impl WorkerTable {
	/// An empty table of `capacity` slots (at least 1); a worker idle `idle_ms` may be replaced.
	pub fn new(capacity: usize, idle_ms: u64) -> Self {
		let capacity = capacity.max(1);
		Self {
			workers: HashMap::with_capacity(capacity),
			// Popped from the end: slot 0 goes first.
			free: (0..capacity).rev().collect(),
			range_len: u64::MAX / capacity as u64,
			idle_ms,
		}
	}

	/// The nonce range of a slot, both ends included.
	fn range(&self, slot: usize) -> (u64, u64) {
		let start = slot as u64 * self.range_len;
		(start, start + (self.range_len - 1))
	}

	/// Adds `name` if it is new (see the module doc for when that is refused), marks it seen at
	/// `now_ms` and returns its nonce range.
	pub fn join(&mut self, name: &str, now_ms: u64) -> Result<(u64, u64), Refusal> {
		check_name(name)?;
		if let Some(worker) = self.workers.get_mut(name) {
			worker.shares.last_seen = now_ms;
			return Ok((worker.shares.nonce_start, worker.shares.nonce_end));
		}
		let slot = match self.free.pop() {
			Some(slot) => slot,
			None => self.evict_idle(now_ms)?,
		};
		let (nonce_start, nonce_end) = self.range(slot);
		let shares = WorkerShares {
			worker: name.to_owned(),
			nonce_start,
			nonce_end,
			last_seen: now_ms,
			..Default::default()
		};
		self.workers.insert(name.to_owned(), Worker { slot, shares });
		Ok((nonce_start, nonce_end))
	}

	/// Forgets the worker idle the longest, if idle long enough, and returns its slot.
	fn evict_idle(&mut self, now_ms: u64) -> Result<usize, Refusal> {
		let oldest = self
			.workers
			.iter()
			.min_by_key(|(_, w)| w.shares.last_seen)
			.filter(|(_, w)| now_ms.saturating_sub(w.shares.last_seen) >= self.idle_ms)
			.map(|(name, _)| name.clone());
		match oldest.and_then(|name| self.workers.remove(&name)) {
			Some(worker) => Ok(worker.slot),
			None => Err(Refusal::new(
				ErrorKind::TooManyWorkers,
				format!(
					"the node serves {} workers, all active within {} s; try again later",
					self.workers.len(),
					self.idle_ms / 1000
				),
			)),
		}
	}

	/// The counts of a known worker, marked seen at `now_ms`.
	pub fn get(&mut self, name: &str, now_ms: u64) -> Result<&mut WorkerShares, Refusal> {
		check_name(name)?;
		match self.workers.get_mut(name) {
			Some(worker) => {
				worker.shares.last_seen = now_ms;
				Ok(&mut worker.shares)
			},
			None => Err(Refusal::new(
				ErrorKind::UnknownWorker,
				format!("worker '{name}' has no nonce range: call mining_getWork first"),
			)),
		}
	}

	/// Every worker's counts, by name.
	pub fn list(&self) -> Vec<WorkerShares> {
		let mut all: Vec<_> = self.workers.values().map(|w| w.shares.clone()).collect();
		all.sort_by(|a, b| a.worker.cmp(&b.worker));
		all
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_are_checked() {
		assert!(check_name("rig-1.gpu_0").is_ok());
		for bad in ["", "a b", "ünï", "x/y", &"a".repeat(MAX_NAME_LEN + 1)] {
			assert_eq!(check_name(bad).unwrap_err().kind, ErrorKind::BadWorker, "{bad:?}");
		}
	}

	#[test]
	fn workers_get_disjoint_ranges_that_stay_theirs() {
		let mut table = WorkerTable::new(4, 1_000);
		let a = table.join("a", 0).unwrap();
		let b = table.join("b", 0).unwrap();
		assert_eq!(a.0, 0);
		assert!(a.1 < b.0, "{a:?} {b:?}");
		assert_eq!(table.join("a", 5).unwrap(), a);
		assert_eq!(table.get("a", 6).unwrap().last_seen, 6);
	}

	#[test]
	fn the_last_range_ends_near_the_top_of_the_nonce_space() {
		let mut table = WorkerTable::new(2, 1_000);
		table.join("a", 0).unwrap();
		let (start, end) = table.join("b", 0).unwrap();
		assert!(start > u64::MAX / 4 && end > u64::MAX - 4, "{start} {end}");
	}

	#[test]
	fn a_full_table_replaces_only_an_idle_worker() {
		let mut table = WorkerTable::new(2, 1_000);
		let a = table.join("a", 0).unwrap();
		table.join("b", 500).unwrap();
		assert_eq!(table.join("c", 900).unwrap_err().kind, ErrorKind::TooManyWorkers);
		// "a" has been idle 1,000 ms at t = 1,000: "c" takes its slot and range.
		assert_eq!(table.join("c", 1_000).unwrap(), a);
		assert_eq!(table.get("a", 1_000).unwrap_err().kind, ErrorKind::UnknownWorker);
		assert_eq!(table.list().iter().map(|w| w.worker.as_str()).collect::<Vec<_>>(), ["b", "c"]);
	}
}
