//! The job and share bookkeeping of a node that serves work: the recent jobs (one per block
//! template), the nonces accepted for each, and the workers' counts. Pure and bounded: at most
//! [`Limits::recent_jobs`] jobs of at most [`Limits::shares_per_job`] accepted nonces each, and at
//! most [`Limits::workers`] workers.
//!
//! A submission is checked cheapest first: the worker, the nonce's syntax, the job id, the
//! worker's range, a duplicate, whether the job is still current, and only then one hash.

use std::collections::{HashSet, VecDeque};

use gpow_primitives_pow::{meets_difficulty, work_hash, Seal};
use primitive_types::{H256, U256};

use crate::{
	error::{ErrorKind, Refusal},
	types::{Job, WorkerShares},
	workers::WorkerTable,
};

/// A block template as the node's miner has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
	/// The hash of the header without its seal: what the work commits to.
	pub pre_hash: H256,
	/// The block the template builds on.
	pub parent_hash: H256,
	/// The number of the block being mined.
	pub number: u64,
	/// The difficulty the block needs.
	pub difficulty: U256,
}

/// The bounds of a [`JobBook`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Jobs remembered (older ones are answered `Stale` without any lookup).
	pub recent_jobs: usize,
	/// Accepted nonces remembered per job, for duplicates (more are refused: `JobFull`).
	pub shares_per_job: usize,
	/// Workers in the table.
	pub workers: usize,
	/// How long a worker must have been idle before a new one may take its slot.
	pub worker_idle_ms: u64,
	/// The share difficulty is the block difficulty divided by this (at least 1), so a block is
	/// worth about this many shares.
	pub shares_per_block: u64,
}

impl Default for Limits {
	fn default() -> Self {
		Self {
			recent_jobs: 16,
			shares_per_job: 4096,
			workers: 1024,
			worker_idle_ms: 10 * 60 * 1000,
			shares_per_block: 64,
		}
	}
}

/// A submission that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
	/// The work meets the share difficulty only; counted.
	Share {
		/// The job.
		job_id: u64,
		/// Its block number.
		number: u64,
	},
	/// The work meets the block difficulty: seal the template with `seal`, then report the
	/// outcome with [`JobBook::sealed`].
	Block {
		/// The job.
		job_id: u64,
		/// Its block number.
		number: u64,
		/// The seal that completes the template.
		seal: Seal,
	},
}

/// One job: a template, its share difficulty and the nonces accepted for it.
struct Entry {
	id: u64,
	template: Template,
	share_difficulty: U256,
	accepted: HashSet<u64>,
}

/// The recent jobs and the workers of a node serving work.
pub struct JobBook {
	jobs: VecDeque<Entry>,
	/// The id of the first job ever issued; ids below it were never issued.
	first_id: u64,
	/// The id the next job gets.
	next_id: u64,
	/// Whether the newest job is the node's current template.
	current: bool,
	workers: WorkerTable,
	limits: Limits,
}

impl JobBook {
	/// An empty book whose first job gets id `first_id` (e.g. the time in milliseconds, so a
	/// restarted node does not reissue the ids of its previous run).
	pub fn new(first_id: u64, limits: Limits) -> Self {
		Self {
			jobs: VecDeque::with_capacity(limits.recent_jobs),
			first_id,
			next_id: first_id,
			current: false,
			workers: WorkerTable::new(limits.workers, limits.worker_idle_ms),
			limits,
		}
	}

	/// The share difficulty for a block difficulty.
	pub fn share_difficulty(&self, difficulty: U256) -> U256 {
		(difficulty / U256::from(self.limits.shares_per_block.max(1))).max(U256::one())
	}

	/// Records the node's current template (`None`: it has none). Returns whether a new job
	/// started, which is when workers need new work.
	pub fn set_template(&mut self, template: Option<Template>) -> bool {
		let Some(template) = template else {
			self.current = false;
			return false;
		};
		if self.jobs.back().is_some_and(|job| job.template == template) {
			// The same template again (it was briefly unavailable): the same job goes on.
			self.current = true;
			return false;
		}
		if self.jobs.len() >= self.limits.recent_jobs.max(1) {
			self.jobs.pop_front();
		}
		let share_difficulty = self.share_difficulty(template.difficulty);
		self.jobs.push_back(Entry {
			id: self.next_id,
			template,
			share_difficulty,
			accepted: HashSet::new(),
		});
		self.next_id += 1;
		self.current = true;
		true
	}

	/// The id of the current job, if there is one.
	pub fn current_job_id(&self) -> Option<u64> {
		self.jobs.back().filter(|_| self.current).map(|job| job.id)
	}

	/// Work for `worker`: the current job with the worker's nonce range. Adds the worker to the
	/// table if it is new.
	pub fn work_for(&mut self, worker: &str, now_ms: u64) -> Result<Job, Refusal> {
		let (nonce_start, nonce_end) = self.workers.join(worker, now_ms)?;
		let job = self.jobs.back().filter(|_| self.current).ok_or_else(|| {
			Refusal::new(
				ErrorKind::NoWork,
				"the node has no block template right now (starting, syncing or just sealed a \
				 block); ask again shortly or subscribe",
			)
		})?;
		Ok(Job {
			job_id: job.id,
			pre_hash: job.template.pre_hash,
			parent_hash: job.template.parent_hash,
			number: job.template.number,
			difficulty: job.template.difficulty,
			share_difficulty: job.share_difficulty,
			nonce_start,
			nonce_end,
			worker: worker.to_owned(),
		})
	}

	/// Checks a submission and counts it for the worker; a [`Verdict::Block`] is counted when
	/// [`JobBook::sealed`] reports how sealing went.
	pub fn check(
		&mut self,
		job_id: u64,
		nonce: &str,
		worker: &str,
		now_ms: u64,
	) -> Result<Verdict, Refusal> {
		let counts = self.workers.get(worker, now_ms)?;
		let verdict = classify(
			&mut self.jobs,
			self.first_id..self.next_id,
			self.current,
			self.limits.shares_per_job,
			(counts.nonce_start, counts.nonce_end),
			job_id,
			nonce,
		);
		match &verdict {
			Ok(Verdict::Share { .. }) => counts.shares += 1,
			Ok(Verdict::Block { .. }) => {},
			Err(refusal) => match refusal.kind {
				ErrorKind::Stale => counts.stale += 1,
				ErrorKind::Duplicate => counts.duplicates += 1,
				ErrorKind::JobFull => {},
				_ => counts.invalid += 1,
			},
		}
		verdict
	}

	/// Counts the outcome of sealing a [`Verdict::Block`] of `worker`: a share and a block if the
	/// block was imported, a stale submission if the template had changed meanwhile.
	pub fn sealed(&mut self, worker: &str, imported: bool, now_ms: u64) {
		if let Ok(counts) = self.workers.get(worker, now_ms) {
			if imported {
				counts.shares += 1;
				counts.blocks += 1;
			} else {
				counts.stale += 1;
			}
		}
	}

	/// Every worker's counts, by name.
	pub fn shares(&self) -> Vec<WorkerShares> {
		self.workers.list()
	}
}

/// The checks of [`JobBook::check`], cheapest first; records an accepted nonce.
fn classify(
	jobs: &mut VecDeque<Entry>,
	issued: std::ops::Range<u64>,
	current: bool,
	shares_per_job: usize,
	(start, end): (u64, u64),
	job_id: u64,
	nonce: &str,
) -> Result<Verdict, Refusal> {
	let nonce: u64 = nonce.parse().map_err(|_| {
		Refusal::new(ErrorKind::BadNonce, "the nonce must be a decimal number below 2^64")
	})?;
	if !issued.contains(&job_id) {
		return Err(Refusal::new(
			ErrorKind::UnknownJob,
			format!("job {job_id} was never issued by this node"),
		));
	}
	let newest = jobs.back().map(|job| job.id);
	let Some(job) = jobs.iter_mut().find(|job| job.id == job_id) else {
		return Err(Refusal::new(
			ErrorKind::Stale,
			format!("job {job_id} is older than the templates this node remembers"),
		));
	};
	if !(start..=end).contains(&nonce) {
		return Err(Refusal::new(
			ErrorKind::OutOfRange,
			format!("nonce {nonce} is outside the worker's range {start}..={end}"),
		));
	}
	if job.accepted.contains(&nonce) {
		return Err(Refusal::new(
			ErrorKind::Duplicate,
			format!("nonce {nonce} was already accepted for job {job_id}"),
		));
	}
	if !current || newest != Some(job_id) {
		return Err(Refusal::new(
			ErrorKind::Stale,
			format!(
				"job {job_id} (block #{}) is no longer the current template",
				job.template.number
			),
		));
	}
	if job.accepted.len() >= shares_per_job {
		return Err(Refusal::new(
			ErrorKind::JobFull,
			format!("job {job_id} has {shares_per_job} shares already; ask for new work"),
		));
	}
	let work = work_hash(job.template.pre_hash.as_fixed_bytes(), nonce);
	if !meets_difficulty(&work, job.share_difficulty) {
		return Err(Refusal::new(
			ErrorKind::LowWork,
			format!(
				"the work of nonce {nonce} does not meet the share difficulty {}",
				job.share_difficulty
			),
		));
	}
	job.accepted.insert(nonce);
	let number = job.template.number;
	let difficulty = job.template.difficulty;
	Ok(if meets_difficulty(&work, difficulty) {
		Verdict::Block { job_id, number, seal: Seal { difficulty, nonce } }
	} else {
		Verdict::Share { job_id, number }
	})
}

#[cfg(test)]
mod tests;
