//! The node side of external mining, independent of Substrate: a [`JobBook`] kept in step with a
//! [`TemplateSource`] (the node's block template), sealing through that source when a submitted
//! nonce meets the block difficulty, and a signal for subscriptions when a new job starts.

use std::{
	sync::Arc,
	time::{SystemTime, UNIX_EPOCH},
};

use codec::Encode;
use futures::future::BoxFuture;
use parking_lot::Mutex;
use tokio::sync::watch;

use crate::{
	book::{JobBook, Limits, Template, Verdict},
	error::{ErrorKind, Refusal},
	types::{Job, Status, Submitted, WorkerShares},
};

/// Where templates come from and where seals go: the node's miner.
pub trait TemplateSource: Send + Sync + 'static {
	/// The current template, if the node has one.
	fn template(&self) -> Option<Template>;

	/// Seals the current template with the encoded seal and imports the block; resolves to
	/// whether the block was imported (false when the template changed meanwhile).
	fn seal(&self, seal: Vec<u8>) -> BoxFuture<'static, bool>;
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_default()
}

/// Serves work from a [`TemplateSource`] and counts what workers submit.
pub struct WorkService {
	book: Mutex<JobBook>,
	source: Box<dyn TemplateSource>,
	new_jobs: watch::Sender<u64>,
}

impl WorkService {
	/// A service over `source`; job ids start at the current time in milliseconds.
	pub fn new(source: Box<dyn TemplateSource>, limits: Limits) -> Arc<Self> {
		Arc::new(Self {
			book: Mutex::new(JobBook::new(now_ms(), limits)),
			source,
			new_jobs: watch::channel(0).0,
		})
	}

	/// Reads the source's template; if it is new, starts a job and signals subscribers.
	pub fn refresh(&self) {
		let template = self.source.template();
		if self.book.lock().set_template(template) {
			self.new_jobs.send_modify(|count| *count = count.wrapping_add(1));
		}
	}

	/// Changes whenever a new job starts (for subscriptions: ask [`WorkService::get_work`] then).
	pub fn new_jobs(&self) -> watch::Receiver<u64> {
		self.new_jobs.subscribe()
	}

	/// The current job for `worker`, with its nonce range.
	pub fn get_work(&self, worker: &str) -> Result<Job, Refusal> {
		self.refresh();
		self.book.lock().work_for(worker, now_ms())
	}

	/// Checks and counts a submission; seals the block if the work meets the block difficulty.
	pub async fn submit(
		&self,
		job_id: u64,
		nonce: &str,
		worker: &str,
	) -> Result<Submitted, Refusal> {
		self.refresh();
		let verdict = self.book.lock().check(job_id, nonce, worker, now_ms())?;
		match verdict {
			Verdict::Share { job_id, number } => {
				Ok(Submitted { status: Status::Share, job_id, number })
			},
			Verdict::Block { job_id, number, seal } => {
				let imported = self.source.seal(seal.encode()).await;
				self.book.lock().sealed(worker, imported, now_ms());
				self.refresh();
				if imported {
					Ok(Submitted { status: Status::Block, job_id, number })
				} else {
					Err(Refusal::new(
						ErrorKind::Stale,
						format!(
							"the work meets block #{number}'s difficulty, but the template of job \
							 {job_id} was replaced before it could be sealed"
						),
					))
				}
			},
		}
	}

	/// Every worker's counts, by name.
	pub fn shares(&self) -> Vec<WorkerShares> {
		self.book.lock().shares()
	}
}

#[cfg(test)]
mod tests;
