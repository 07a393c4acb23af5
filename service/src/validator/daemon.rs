//! The daemon: follows the chain, takes on the pools it is drawn for, and drives each job
//! through [`decide`] until it is claimed.
//!
//! - **Blocks.** It follows best blocks (`Chain::follow(Follow::Best)`). A
//!   `reputation.PanelDrawn` with this account on the panel becomes a [`Job`]
//!   (`pools/<pool>.json`); at every block each open job takes its next steps in a task of its
//!   own (one at a time per pool), so a slow endpoint holds up only its own pool.
//! - **Catching up.** The store keeps the last block handled (`cursor.json`). At start, and
//!   after every reconnection, the daemon walks back from the best block to it (at most
//!   [`CATCH_UP`] blocks; from a new store, the last [`CATCH_UP`] blocks) and reads their
//!   events, so a panel drawn while it was down is not missed; the open jobs in the store are
//!   taken up where they stood.
//! - **Errors.** A failed step (the node, the endpoint) is logged and tried again at the next
//!   block; a job's bad input ends that job with its reason, never the daemon. When the node's
//!   stream ends, the daemon connects again every [`RECONNECT`].

use std::{
	collections::{BTreeSet, HashSet},
	convert::Infallible,
	path::PathBuf,
	sync::{Arc, Mutex},
	time::Duration,
};

use futures::StreamExt;
use gpow_market_client::{
	Chain, Error as ChainError, Follow, Head, MarketBlock, MarketEvent, NonceLease,
};
use gpow_runtime::{AccountId, BlockNumber, Hash, RuntimeEvent};
use pallet_reputation::{PoolId, PoolState, Rep};
use pallet_services::InstanceStatus;
use serde::{Deserialize, Serialize};
use sp_core::{sr25519, Pair};

use super::{
	job::{decide, Action, Job, Outcome, PoolView, Stage, View, Vote},
	judge::{self, Work},
	log,
	record::{RoundRecord, VerdictRecord},
	seed::{hex, seed},
	stake::{default_stake, format_rep},
};
use crate::{
	lock,
	store::{Store, StoreError},
	types,
};

/// The most blocks the daemon walks back to catch up.
pub const CATCH_UP: BlockNumber = 4096;

/// How long the daemon waits before connecting to the node again.
pub const RECONNECT: Duration = Duration::from_secs(5);

/// The most steps a job takes at one block (judge, stake, record, settle, claim...).
const MAX_STEPS: usize = 12;

/// The store's name of the last block handled.
const CURSOR: &str = "cursor.json";

/// What the daemon is told at start.
pub struct Config {
	/// The node's WebSocket JSON-RPC URL.
	pub node: String,
	/// The validator's key.
	pub pair: sr25519::Pair,
	/// The state directory.
	pub data_dir: PathBuf,
	/// Samples per evaluation (per round, for storage).
	pub samples: u32,
	/// REP staked per pool; `None`: [`default_stake`].
	pub stake: Option<Rep>,
}

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
	/// The state directory (locked by another program, or unreadable).
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The node (unreachable, another chain).
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The node runs another runtime than the one this program was built with.
	#[error(transparent)]
	Runtime(#[from] types::NotNative),
}

/// Why a step of a job failed; it is tried again at the next block.
#[derive(Debug, thiserror::Error)]
enum StepError {
	#[error(transparent)]
	Chain(#[from] ChainError),
	#[error(transparent)]
	Store(#[from] StoreError),
	#[error("the best chain has no block {0}")]
	NoBlock(BlockNumber),
}

/// The last block handled.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Cursor {
	number: BlockNumber,
	hash: Hash,
}

/// The daemon's state, shared by its tasks.
struct Daemon {
	pair: sr25519::Pair,
	me: AccountId,
	store: Store,
	samples: u32,
	stake: Option<Rep>,
	/// The pools whose jobs are not closed.
	open: Mutex<BTreeSet<PoolId>>,
	/// The pools a task is working on.
	busy: Mutex<HashSet<PoolId>>,
}

/// Runs the daemon until the process ends; returns only if it cannot start.
pub async fn run(config: Config) -> Result<Infallible, StartError> {
	let store = Store::open(&config.data_dir)?;
	let chain = Chain::connect(&config.node).await?;
	types::check_native(&chain.runtime_version().await?)?;
	let me = AccountId::from(config.pair.public());
	let daemon = Arc::new(Daemon {
		pair: config.pair,
		me,
		store,
		samples: config.samples,
		stake: config.stake,
		open: Mutex::new(BTreeSet::new()),
		busy: Mutex::new(HashSet::new()),
	});
	daemon.load_jobs()?;
	let stake = config.stake.map_or("the pool's least that makes sense".into(), format_rep);
	log(format_args!(
		"account {}, node {}, store {}, {} samples, stake {stake}, {} open pools",
		daemon.me,
		config.node,
		config.data_dir.display(),
		config.samples,
		lock(&daemon.open).len()
	));
	let mut chain = Some(chain);
	loop {
		if let Some(connected) = chain.take() {
			match daemon.clone().session(connected).await {
				Ok(()) => log("the node's block stream ended; connecting again"),
				Err(e) => log(format_args!("lost the node: {e}; connecting again")),
			}
		}
		tokio::time::sleep(RECONNECT).await;
		match Chain::connect(&config.node).await {
			Ok(connected) => chain = Some(connected),
			Err(e) => log(format_args!("cannot reach the node: {e}")),
		}
	}
}

impl Daemon {
	/// Reads the open jobs of the store.
	fn load_jobs(&self) -> Result<(), StoreError> {
		for name in self.store.list("pools")? {
			match self.store.get::<Job>(&name) {
				Ok(Some(job)) if !job.stage.is_closed() => {
					lock(&self.open).insert(job.pool);
				},
				Ok(_) => {},
				Err(e) => log(format_args!("skipping {name}: {e}")),
			}
		}
		Ok(())
	}

	/// Follows the node until its stream ends: catches up, then handles every block.
	async fn session(self: Arc<Self>, chain: Chain) -> Result<(), StepError> {
		// Subscribed first, so that no block falls between the catch-up and the stream.
		let mut blocks = chain.follow(Follow::Best).await?;
		let best = chain.best_head().await?;
		self.catch_up(&chain, best).await?;
		log(format_args!("following best blocks from block {}", best.number));
		self.drive_all(&chain);
		while let Some(block) = blocks.next().await {
			match block {
				Ok(block) => {
					self.on_block(&chain, &block).await?;
					self.drive_all(&chain);
				},
				Err(e) => log(format_args!("cannot read a block: {e}")),
			}
		}
		Ok(())
	}

	/// Reads the events of the blocks after the cursor, up to `best`.
	async fn catch_up(&self, chain: &Chain, best: Head) -> Result<(), StepError> {
		let cursor = self.store.get::<Cursor>(CURSOR).unwrap_or_else(|e| {
			log(format_args!("{e}; catching up on the last {CATCH_UP} blocks"));
			None
		});
		let from = cursor.map_or(0, |c| c.number.saturating_add(1));
		let from = from.max(best.number.saturating_sub(CATCH_UP));
		if from > best.number {
			return Ok(());
		}
		let mut heads = vec![best];
		while let Some(oldest) = heads.last().copied().filter(|h| h.number > from) {
			match chain.head(oldest.parent).await? {
				Some(parent) => heads.push(parent),
				None => break,
			}
		}
		log(format_args!("catching up on blocks {from}..={}", best.number));
		for head in heads.into_iter().rev() {
			let block = chain.market_block(head).await?;
			self.on_block(chain, &block).await?;
		}
		Ok(())
	}

	/// Takes on the pools drawn in `block` with this account on the panel, then moves the
	/// cursor past it. A failure ends the session, so the next one reads the block again.
	async fn on_block(&self, chain: &Chain, block: &MarketBlock) -> Result<(), StepError> {
		for event in &block.events {
			if let MarketEvent::Reputation(pallet_reputation::Event::PanelDrawn {
				pool,
				panel,
				..
			}) = event
			{
				if panel.contains(&self.me) {
					self.take_on(chain, *pool, block.head).await?;
				}
			}
		}
		let cursor = Cursor { number: block.head.number, hash: block.head.hash };
		Ok(self.store.put(CURSOR, &cursor)?)
	}

	/// Makes a job of `pool`, whose panel was drawn in block `head` with this account on it.
	async fn take_on(&self, chain: &Chain, pool: PoolId, head: Head) -> Result<(), StepError> {
		let file = Job::file(pool);
		if self.store.get::<Job>(&file)?.is_some() {
			return Ok(());
		}
		let Some(record) = chain.pool(pool, Some(head.hash)).await? else {
			log(format_args!("pool {pool}: drawn in block {}, but not stored there", head.number));
			return Ok(());
		};
		let instance = chain.pool_instance(pool, Some(head.hash)).await?;
		let stage = match instance {
			Some(_) => Stage::Judge,
			None => Stage::Closed(Outcome::NotJudged { why: "not a market pool".into() }),
		};
		let job = Job {
			pool,
			instance,
			drawn_in: head.hash,
			drawn_at: head.number,
			opened_at: record.opened_at,
			ends_at: record.ends_at,
			stage,
		};
		self.store.put(&file, &job)?;
		match instance {
			Some(instance) => {
				log(format_args!(
					"pool {pool}: on its panel (drawn in block {} {}); it judges instance \
					 {instance}; stakes until block {}",
					head.number,
					hex(head.hash.as_bytes()),
					record.ends_at
				));
				lock(&self.open).insert(pool);
			},
			None => log(format_args!("pool {pool}: on its panel, but not a market pool: ignored")),
		}
		Ok(())
	}

	/// Starts a task for every open job that has none.
	fn drive_all(self: &Arc<Self>, chain: &Chain) {
		let pools: Vec<PoolId> = lock(&self.open).iter().copied().collect();
		for pool in pools {
			if !lock(&self.busy).insert(pool) {
				continue;
			}
			let (daemon, chain) = (self.clone(), chain.clone());
			tokio::spawn(async move {
				if let Err(e) = daemon.advance(&chain, pool).await {
					log(format_args!("pool {pool}: {e}; trying again at the next block"));
				}
				lock(&daemon.busy).remove(&pool);
			});
		}
	}

	/// What the chain says of `job` at the best block.
	async fn view(&self, chain: &Chain, job: &Job) -> Result<View, ChainError> {
		let best = chain.best_head().await?;
		let pool = chain.pool(job.pool, Some(best.hash)).await?.map(|pool| PoolView {
			settled: pool.state != PoolState::Open,
			ends_at: pool.ends_at,
			all_staked: pool.panel.as_ref().is_some_and(|p| pool.voters as usize >= p.len()),
		});
		let stake = chain.stake_in(job.pool, &self.me, Some(best.hash)).await?.map(|s| {
			let vote =
				if s.side == pallet_reputation::Side::For { Vote::For } else { Vote::Against };
			(vote, s.amount)
		});
		let nonces = match (&job.stage, stake) {
			(Stage::Staking { sent: Some(_), .. }, None) => Some(chain.nonces(&self.me).await?),
			_ => None,
		};
		Ok(View { best: best.number, pool, stake, nonces })
	}

	/// Takes the next steps of the job of `pool`, recording each.
	async fn advance(&self, chain: &Chain, pool: PoolId) -> Result<(), StepError> {
		let file = Job::file(pool);
		let Some(mut job) = self.store.get::<Job>(&file)? else {
			lock(&self.open).remove(&pool);
			return Ok(());
		};
		// A step that only records what the chain shows changes nothing there: the next
		// step decides on the same view.
		let mut unchanged = None;
		for _ in 0..MAX_STEPS {
			if job.stage.is_closed() {
				lock(&self.open).remove(&pool);
				return Ok(());
			}
			let view = match unchanged.take() {
				Some(view) => view,
				None => self.view(chain, &job).await?,
			};
			let next = match decide(&job.stage, &view) {
				Action::Wait => return Ok(()),
				Action::Record(stage) => {
					unchanged = Some(view);
					stage
				},
				Action::Judge => self.judge(chain, &job, None).await?,
				Action::JudgeSecondRound => {
					let Stage::SecondRound { at, first } = &job.stage else { return Ok(()) };
					let block = block_at(chain, *at).await?;
					self.judge(chain, &job, Some((first.clone(), block))).await?
				},
				Action::Stake(vote, amount) => {
					// The nonce is recorded before the stake is sent: see `job`.
					let lease = chain.lease_nonce(&self.me).await?;
					job.stage = Stage::Staking { vote, amount, sent: Some(lease.nonce()) };
					self.store.put(&file, &job)?;
					self.stake(lease, pool, vote, amount).await?
				},
				Action::Settle if self.settle(chain, pool).await? => continue,
				Action::Settle => return Ok(()),
				Action::Claim => self.claim(chain, pool).await?,
			};
			if let Stage::Closed(outcome) = &next {
				log(format_args!("pool {pool}: done: {outcome}"));
			}
			job.stage = next;
			self.store.put(&file, &job)?;
		}
		Ok(())
	}

	/// The work `job`'s instance is judged on, or why it is not judged.
	async fn work(
		&self,
		chain: &Chain,
		job: &Job,
	) -> Result<Result<(Work, AccountId), String>, ChainError> {
		let Some(id) = job.instance else { return Ok(Err("not a market pool".into())) };
		let Some(instance) = chain.instance(id, None).await? else {
			return Ok(Err(format!("instance {id} is not on chain")));
		};
		let result = match instance.status {
			InstanceStatus::Evaluating { pool, result, .. } if pool == job.pool => result,
			other => {
				return Ok(Err(format!("instance {id} is not evaluated in this pool: {other:?}")))
			},
		};
		let type_id = instance.service_type;
		let Some(service_type) = chain.service_type(type_id, None).await? else {
			return Ok(Err(format!("service type {type_id} is not on chain")));
		};
		let Some(kind) = types::kind_of(&service_type) else {
			let schema = hex(service_type.schema.as_bytes());
			return Ok(Err(format!(
				"service type {type_id} (schema {schema}) is not a kind this validator implements"
			)));
		};
		let offer = chain.offer_of(type_id, &instance.provider, None).await?;
		let endpoint = match offer.map(|offer| String::from_utf8(offer.endpoint.into_inner())) {
			Some(Ok(endpoint)) => endpoint,
			Some(Err(_)) => "(an endpoint on chain that is not UTF-8)".into(),
			None => "(no offer on chain)".into(),
		};
		let work = Work {
			instance: id,
			kind,
			endpoint,
			definition: instance.definition.0,
			result: result.0,
		};
		Ok(Ok((work, instance.provider)))
	}

	/// Judges `job`: its first round, or (with the first round and the block of the middle of
	/// the window) its second; records and logs the verdict; gives the next stage.
	async fn judge(
		&self,
		chain: &Chain,
		job: &Job,
		second: Option<(RoundRecord, Head)>,
	) -> Result<Stage, StepError> {
		let (work, provider) = match self.work(chain, job).await? {
			Ok(work) => work,
			Err(why) => {
				log(format_args!("pool {}: not judged, no stake: {why}", job.pool));
				return Ok(Stage::Closed(Outcome::NotJudged { why }));
			},
		};
		let (mut rounds, block) = match second {
			Some((first, block)) => (vec![first], (block.number, block.hash)),
			None => (Vec::new(), (job.drawn_at, job.drawn_in)),
		};
		let seed = seed(job.pool, &self.me, &block.1);
		let judgement = judge::judge(&work, self.samples, seed).await;
		rounds.push(RoundRecord::new(judgement, seed, block, self.samples));
		let record = VerdictRecord::new(job.pool, &provider, &work, rounds);
		self.store.put(&VerdictRecord::file(job.pool), &record)?;
		if let Some(line) = record.round_line(record.rounds.len() - 1) {
			log(line);
		}
		let last_round = work.kind == gpow_market::ServiceKind::Range || record.rounds.len() > 1;
		if !last_round {
			let first = record.rounds[0].clone();
			return Ok(Stage::SecondRound { at: job.middle(), first });
		}
		let vote = Vote::of(record.pass);
		let amount = match self.stake {
			Some(amount) => amount,
			None => {
				let pool = chain.pool(job.pool, None).await?;
				let free = chain.rep(&self.me, None).await?.free;
				pool.map_or(0, |pool| default_stake(&pool, vote, free))
			},
		};
		let verdict = if record.pass { "pass" } else { "fail" };
		log(format_args!(
			"pool {}: verdict {verdict}: staking {vote:?} {}",
			job.pool,
			format_rep(amount)
		));
		Ok(Stage::Staking { vote, amount, sent: None })
	}

	/// Stakes with the leased nonce; gives the next stage (or ends the job if the chain refuses
	/// the stake).
	async fn stake(
		&self,
		lease: NonceLease,
		pool: PoolId,
		vote: Vote,
		amount: Rep,
	) -> Result<Stage, StepError> {
		match lease.stake(&self.pair, pool, vote.side(), amount).await {
			Ok(included) => {
				log(format_args!(
					"pool {pool}: staked {vote:?} {} in block {:?}",
					format_rep(amount),
					included.block
				));
				Ok(Stage::Staked { vote, amount })
			},
			Err(ChainError::Failed(failure)) => {
				log(format_args!("pool {pool}: the stake failed: {failure}"));
				Ok(Stage::Closed(Outcome::StakeRefused { error: failure.name }))
			},
			Err(e) => Err(e.into()),
		}
	}

	/// Settles; a pool someone else settled is fine. Gives whether the pool is settled (not
	/// when the pallet finds the window still open).
	async fn settle(&self, chain: &Chain, pool: PoolId) -> Result<bool, StepError> {
		match chain.settle(&self.pair, pool).await {
			Ok(included) => {
				let verdict = included.find(|e| match e {
					RuntimeEvent::Reputation(pallet_reputation::Event::PoolSettled {
						verdict,
						..
					}) => Some(*verdict),
					_ => None,
				});
				match verdict {
					Some(verdict) => log(format_args!("pool {pool}: settled: {verdict:?}")),
					None => log(format_args!("pool {pool}: settled")),
				}
				Ok(true)
			},
			Err(e) if matches!(e.dispatch_name(), Some("reputation.AlreadySettled")) => Ok(true),
			Err(e) if matches!(e.dispatch_name(), Some("reputation.VotingOpen")) => Ok(false),
			Err(e) => Err(e.into()),
		}
	}

	/// Claims; gives the closed stage with what the claim paid.
	async fn claim(&self, chain: &Chain, pool: PoolId) -> Result<Stage, StepError> {
		match chain.claim(&self.pair, pool).await {
			Ok(included) => {
				let payout = included.find(|e| match e {
					RuntimeEvent::Reputation(pallet_reputation::Event::Claimed {
						payout, ..
					}) => Some(*payout),
					_ => None,
				});
				let paid = payout.map_or("?".into(), format_rep);
				log(format_args!("pool {pool}: claimed {paid}"));
				Ok(Stage::Closed(Outcome::Claimed { payout }))
			},
			Err(e) if matches!(e.dispatch_name(), Some("reputation.NoStake")) => {
				Ok(Stage::Closed(Outcome::Claimed { payout: None }))
			},
			Err(e) => Err(e.into()),
		}
	}
}

/// Block `number` of the best chain (two reads, however far below the best it is).
async fn block_at(chain: &Chain, number: BlockNumber) -> Result<Head, StepError> {
	let Some(hash) = chain.block_hash(number).await? else {
		return Err(StepError::NoBlock(number));
	};
	chain.head(hash).await?.ok_or(StepError::NoBlock(number))
}
