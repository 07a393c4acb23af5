//! One mining session against a node: connect, subscribe to work, hand each job to the threads,
//! submit what they find, and print the hashrate and counts.

use std::time::{Duration, Instant};

use gpow_mining::{
	api::MiningApiClient,
	types::{Job, Status, Submitted},
	ErrorKind,
};
use jsonrpsee::{core::ClientError, ws_client::WsClientBuilder};
use tokio::sync::mpsc;

use crate::{cli::Cli, threads::Threads};

/// How long connecting to the node may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Found nonces waiting to be submitted; the threads wait when this many are queued.
const FOUND_QUEUE: usize = 256;

/// Why a session ended other than by Ctrl-C.
#[derive(Debug)]
pub enum MinerError {
	/// The URL is not valid, or nothing answered there.
	Connect {
		/// The URL given.
		url: String,
		/// The client's reason.
		reason: String,
	},
	/// The node refused to give work (e.g. it builds no templates, or the worker name is bad).
	Refused(String),
	/// The connection ended or the node sent something unreadable.
	Lost(String),
	/// The mining threads could not be started.
	Threads(std::io::Error),
}

impl MinerError {
	/// The process exit code: 1 connection, 2 refused, 3 lost, 4 threads.
	pub fn exit_code(&self) -> u8 {
		match self {
			MinerError::Connect { .. } => 1,
			MinerError::Refused(_) => 2,
			MinerError::Lost(_) => 3,
			MinerError::Threads(_) => 4,
		}
	}
}

impl std::fmt::Display for MinerError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			MinerError::Connect { url, reason } => {
				write!(f, "cannot connect to the node at '{url}': {reason}")
			},
			MinerError::Refused(reason) => write!(f, "the node refused to give work: {reason}"),
			MinerError::Lost(reason) => write!(f, "lost the node: {reason}"),
			MinerError::Threads(e) => write!(f, "cannot start the mining threads: {e}"),
		}
	}
}

/// A JSON-RPC error in words: `Name (code): data`.
fn describe(error: &ClientError) -> String {
	match error {
		ClientError::Call(call) => match call.data() {
			Some(data) => format!("{} ({}): {}", call.message(), call.code(), data.get()),
			None => format!("{} ({})", call.message(), call.code()),
		},
		other => other.to_string(),
	}
}

/// What the node answered to this session's submissions.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Tally {
	/// Accepted shares, blocks included.
	pub shares: u64,
	/// Blocks sealed.
	pub blocks: u64,
	/// Submissions for a job that was no longer current.
	pub stale: u64,
	/// Duplicates.
	pub duplicates: u64,
	/// Other refusals.
	pub invalid: u64,
}

impl Tally {
	/// Counts one answer; a failure that is not a refusal of the submission ends the session.
	pub fn record(&mut self, answer: Result<Submitted, ClientError>) -> Result<(), MinerError> {
		match answer {
			Ok(Submitted { status: Status::Share, .. }) => self.shares += 1,
			Ok(Submitted { status: Status::Block, job_id, number }) => {
				self.shares += 1;
				self.blocks += 1;
				println!("✅ Block #{number} sealed (job {job_id})");
			},
			Err(ClientError::Call(call)) => match ErrorKind::from_code(call.code()) {
				Some(ErrorKind::Stale) => self.stale += 1,
				Some(ErrorKind::Duplicate) => self.duplicates += 1,
				Some(_) => self.invalid += 1,
				None => return Err(MinerError::Lost(describe(&ClientError::Call(call)))),
			},
			Err(other) => return Err(MinerError::Lost(describe(&other))),
		}
		Ok(())
	}
}

impl std::fmt::Display for Tally {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(
			f,
			"shares {} blocks {} stale {} duplicates {} invalid {}",
			self.shares, self.blocks, self.stale, self.duplicates, self.invalid
		)
	}
}

/// Mines until Ctrl-C (then `Ok`) or an error.
pub async fn run(cli: &Cli) -> Result<Tally, MinerError> {
	let client = WsClientBuilder::default()
		.connection_timeout(CONNECT_TIMEOUT)
		.build(&cli.url)
		.await
		.map_err(|e| MinerError::Connect { url: cli.url.clone(), reason: describe(&e) })?;
	let mut jobs = client.subscribe_work(cli.worker.clone()).await.map_err(|e| match e {
		ClientError::Call(_) => MinerError::Refused(describe(&e)),
		other => MinerError::Lost(describe(&other)),
	})?;

	let (found_tx, mut found_rx) = mpsc::channel(FOUND_QUEUE);
	let threads =
		Threads::start(cli.threads, cli.backend, found_tx).map_err(MinerError::Threads)?;
	println!(
		"⛏️  Mining on {} as worker '{}' with {} {:?} thread(s)",
		cli.url, cli.worker, cli.threads, cli.backend
	);

	let mut tally = Tally::default();
	let mut report = tokio::time::interval(Duration::from_secs(cli.report_every));
	report.tick().await;
	let mut since = Instant::now();
	let mut mining: Option<u64> = None;
	let ctrl_c = tokio::signal::ctrl_c();
	tokio::pin!(ctrl_c);
	loop {
		tokio::select! {
			job = jobs.next() => match job {
				Some(Ok(job)) => {
					if mining.is_none() {
						print_first(&job);
					}
					mining = Some(job.number);
					threads.shared().set_job(job);
				},
				Some(Err(e)) => return Err(MinerError::Lost(format!("unreadable job: {e}"))),
				None => return Err(MinerError::Lost("the work subscription ended".into())),
			},
			Some(found) = found_rx.recv() => {
				let answer =
					client.submit_work(found.job_id, found.nonce.to_string(), cli.worker.clone()).await;
				if matches!(answer, Ok(Submitted { status: Status::Block, .. })) {
					threads.shared().finish_job(found.job_id);
				}
				tally.record(answer)?;
			},
			_ = report.tick() => {
				let hashes = threads.shared().take_hashes() as f64;
				let rate = hashes / since.elapsed().as_secs_f64();
				since = Instant::now();
				let block = mining.map(|number| format!(" | mining #{number}")).unwrap_or_default();
				println!(
					"⛏️  Hashrate: {rate:.0} H/s ({:.0} H/s per thread){block} | {tally}",
					rate / f64::from(cli.threads)
				);
			},
			_ = &mut ctrl_c => return Ok(tally),
		}
	}
}

/// Prints the first job, so the log shows what the node offers.
fn print_first(job: &Job) {
	println!(
		"⛏️  First job {}: block #{} on {:?}, difficulty {}, share difficulty {}, nonces {}..={}",
		job.job_id,
		job.number,
		job.parent_hash,
		job.difficulty,
		job.share_difficulty,
		job.nonce_start,
		job.nonce_end
	);
}

#[cfg(test)]
mod tests {
	use jsonrpsee::types::ErrorObject;

	use super::*;

	fn refusal(kind: ErrorKind) -> Result<Submitted, ClientError> {
		Err(ClientError::Call(ErrorObject::owned(kind.code(), kind.name(), None::<()>)))
	}

	#[test]
	fn answers_are_tallied_by_kind() {
		let mut tally = Tally::default();
		let share = Submitted { status: Status::Share, job_id: 1, number: 2 };
		tally.record(Ok(share.clone())).unwrap();
		tally.record(Ok(Submitted { status: Status::Block, ..share })).unwrap();
		tally.record(refusal(ErrorKind::Stale)).unwrap();
		tally.record(refusal(ErrorKind::Duplicate)).unwrap();
		tally.record(refusal(ErrorKind::LowWork)).unwrap();
		assert_eq!(tally, Tally { shares: 2, blocks: 1, stale: 1, duplicates: 1, invalid: 1 });
	}

	#[test]
	fn a_failure_that_is_no_refusal_ends_the_session() {
		let other =
			Err(ClientError::Call(ErrorObject::owned(-32601, "Method not found", None::<()>)));
		assert!(matches!(Tally::default().record(other), Err(MinerError::Lost(_))));
		let closed = Err(ClientError::RestartNeeded(std::sync::Arc::new(ClientError::Custom(
			"closed".into(),
		))));
		assert!(matches!(Tally::default().record(closed), Err(MinerError::Lost(_))));
	}
}
