//! The daemon's state and its life: jobs taken from the chain, deliveries, the work, the
//! submissions, the outcomes, and the answers the endpoint gives from them.

use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc, Mutex, RwLock,
	},
	time::{Duration, Instant},
};

use codec::Encode;
use futures::StreamExt;
use gpow_market::{
	range::RangeError,
	storage::{Challenge, StorageDefinition, StorageError},
	wire, Limits, ServiceKind,
};
use gpow_market_client::{Chain, Follow, Instance, MarketBlock, MarketEvent};
use gpow_runtime::{AccountId, BlockNumber, Hash};
use pallet_services::InstanceStatus;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use tokio::sync::OnceCell;

use crate::{
	channel::{self, ChannelKeys},
	endpoint::{Delivery, EndpointError, Hello, Receipt, PROTOCOL_VERSION},
	lock,
	provider::{
		book::{Book, BookError, DataFile},
		checks::{check_delivery, Checked, Refusal},
		job::{Job, Outcome, Stage},
		say,
		work::{self, cheat_seed, Work, WorkError},
	},
	types,
};

/// How long to wait before connecting again to a node that went away.
const RECONNECT_DELAY: Duration = Duration::from_secs(3);

/// What the daemon was told at start.
#[derive(Clone, Debug)]
pub struct Config {
	/// The kinds it offers.
	pub kinds: Vec<ServiceKind>,
	/// The largest work it takes on.
	pub limits: Limits,
	/// The fraction of the work it skips (tests only).
	pub cheat: Option<f64>,
	/// Blocks a finished job's data is kept.
	pub keep_blocks: BlockNumber,
	/// The node's URL, to connect again.
	pub node: String,
}

/// Why a step of a job failed (it is tried again at the next block).
#[derive(Debug, thiserror::Error)]
enum StepError {
	#[error(transparent)]
	Book(#[from] BookError),
	#[error(transparent)]
	Store(#[from] crate::store::StoreError),
	#[error(transparent)]
	Chain(#[from] gpow_market_client::Error),
	#[error("{0}")]
	Refused(Refusal),
	#[error("the result frame: {0}")]
	Frame(wire::WireError),
}

/// A provider: its chain connection, jobs, keys and the work it holds.
pub struct Provider {
	chain: RwLock<Chain>,
	book: Book,
	pair: sr25519::Pair,
	account: AccountId,
	keys: ChannelKeys,
	config: Config,
	/// The best block seen.
	best: AtomicU32,
	/// The work of each job, built once (on delivery, or from the store after a restart).
	works: Mutex<HashMap<u64, Arc<OnceCell<Arc<Work>>>>>,
	/// The jobs a step is running for.
	busy: Mutex<HashSet<u64>>,
	/// The jobs whose missed deadline was logged.
	missed: Mutex<HashSet<u64>>,
	/// Deliveries are taken one at a time.
	deliveries: tokio::sync::Mutex<()>,
}

/// `refusal` as an `Internal` error: the provider failed, not the caller.
fn internal(error: impl std::fmt::Display) -> Refusal {
	Refusal::new(EndpointError::Internal, error)
}

impl Provider {
	/// A provider signing with `pair`, its jobs in `book`.
	pub fn new(
		chain: Chain,
		book: Book,
		pair: sr25519::Pair,
		keys: ChannelKeys,
		config: Config,
	) -> Self {
		Provider {
			chain: RwLock::new(chain),
			book,
			account: AccountId::from(pair.public()),
			pair,
			keys,
			config,
			best: AtomicU32::new(0),
			works: Mutex::default(),
			busy: Mutex::default(),
			missed: Mutex::default(),
			deliveries: tokio::sync::Mutex::new(()),
		}
	}

	/// The provider's account, SS58.
	pub fn ss58(&self) -> String {
		self.account.to_ss58check()
	}

	/// The version of its encryption key on chain.
	pub fn key_version(&self) -> u32 {
		self.keys.version()
	}

	fn chain(&self) -> Chain {
		self.chain.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
	}

	/// Follows the chain for ever: at each best block, the market's events, new instances and
	/// a step of every job; a lost node is connected again.
	pub async fn run(self: &Arc<Self>) {
		loop {
			let chain = self.chain();
			match chain.follow(Follow::Best).await {
				Ok(mut blocks) => {
					match chain.best_head().await {
						Ok(head) => self.on_head(head.number).await,
						Err(e) => say!("cannot read the best block: {e}"),
					}
					while let Some(block) = blocks.next().await {
						match block {
							Ok(block) => self.on_block(block).await,
							Err(e) => say!("cannot read a block: {e}"),
						}
					}
					say!("the node's block stream ended; connecting again");
				},
				Err(e) => say!("cannot follow the chain: {e}"),
			}
			self.reconnect().await;
		}
	}

	/// Connects to the node again, until it answers.
	async fn reconnect(&self) {
		loop {
			tokio::time::sleep(RECONNECT_DELAY).await;
			match Chain::connect(&self.config.node).await {
				Ok(chain) => {
					let timeout = super::SUBMIT_TIMEOUT;
					*self.chain.write().unwrap_or_else(|p| p.into_inner()) =
						chain.with_timeout(timeout);
					say!("connected to {} again", self.config.node);
					return;
				},
				Err(e) => say!("cannot connect to {}: {e}", self.config.node),
			}
		}
	}

	/// A new best block: its events, then new instances and a step of every job.
	async fn on_block(self: &Arc<Self>, block: MarketBlock) {
		for event in &block.events {
			if let MarketEvent::Services(event) = event {
				self.on_event(event).await;
			}
		}
		self.on_head(block.head.number).await;
	}

	/// At block `number`: takes the instances created since the last look, and steps every job.
	async fn on_head(self: &Arc<Self>, number: BlockNumber) {
		self.best.fetch_max(number, Ordering::Relaxed);
		if let Err(e) = self.scan().await {
			say!("cannot look for new instances: {e}");
		}
		for job in self.book.all() {
			if job.has_data() || !job.is_finished() {
				self.spawn_step(job.instance);
			}
		}
	}

	/// Logs what the chain says of this provider's instances.
	async fn on_event(self: &Arc<Self>, event: &pallet_services::Event<gpow_runtime::Runtime>) {
		use pallet_services::Event as E;
		let ours = |instance: &u64| self.book.job(*instance).is_some();
		match event {
			E::Requested { instance, provider, .. } if *provider == self.account => {
				if let Err(e) = self.take(*instance).await {
					say!("instance {instance}: cannot take it: {e}");
				}
			},
			E::ResultSubmitted { instance, pool, evaluation_fee, .. } if ours(instance) => say!(
				"instance {instance}: in evaluation by pool {pool} (fee {} GPOW)",
				crate::amount::format(*evaluation_fee)
			),
			E::Paid { instance, provider_amount, .. } if ours(instance) => {
				say!("instance {instance}: paid {} GPOW", crate::amount::format(*provider_amount))
			},
			E::Refunded { instance, amount, status } if ours(instance) => say!(
				"instance {instance}: the consumer was refunded {} GPOW ({}){}",
				crate::amount::format(*amount),
				types::status_name(status).0,
				if *status == InstanceStatus::Failed { ": the backing is forfeited" } else { "" }
			),
			E::Slashed { instance, amount, .. } if ours(instance) => {
				say!("instance {instance}: slashed {} REP", crate::amount::format(*amount))
			},
			_ => {},
		}
	}

	/// Takes the instances created since the last look ([`Book::scan_from`]) that are assigned
	/// to this provider.
	async fn scan(&self) -> Result<(), StepError> {
		let next = self.chain().next_instance_id(None).await?;
		let from = self.book.scan_from()?;
		for instance in from..next {
			self.take(instance).await?;
		}
		if next > from {
			self.book.scanned_to(next)?;
		}
		Ok(())
	}

	/// Makes a job of `instance` if it is assigned to this provider, waiting for its
	/// definition, and the book has none yet.
	async fn take(&self, instance: u64) -> Result<Option<Job>, StepError> {
		if let Some(job) = self.book.job(instance) {
			return Ok(Some(job));
		}
		let chain = self.chain();
		let Some(on_chain) = chain.instance(instance, None).await? else { return Ok(None) };
		if on_chain.provider != self.account {
			return Ok(None);
		}
		if on_chain.status != InstanceStatus::Assigned {
			say!(
				"instance {instance}: {} on chain, with no job in this store: not taken",
				types::status_name(&on_chain.status).0
			);
			return Ok(None);
		}
		let service_type = chain.service_type(on_chain.service_type, None).await?;
		let Some(kind) = service_type.as_ref().and_then(types::kind_of) else {
			say!(
				"instance {instance}: type {} is not a kind this provider implements: not taken",
				on_chain.service_type
			);
			return Ok(None);
		};
		let job = job_of(instance, kind, &on_chain);
		if self.book.insert(job.clone())? {
			say!(
				"instance {instance}: assigned ({kind}, volume {}, fee {} GPOW, consumer {}, \
				 deadline block {})",
				job.volume,
				crate::amount::format(on_chain.fee),
				job.consumer.to_ss58check(),
				job.deadline
			);
		}
		Ok(Some(job))
	}

	/// Runs the steps `instance`'s job can take now, in a task of its own, unless one runs.
	fn spawn_step(self: &Arc<Self>, instance: u64) {
		if !lock(&self.busy).insert(instance) {
			return;
		}
		let provider = self.clone();
		tokio::spawn(async move {
			if let Err(e) = provider.steps(instance).await {
				say!("instance {instance}: {e} (tried again at the next block)");
			}
			lock(&provider.busy).remove(&instance);
		});
	}

	/// Takes every step the job of `instance` can take now.
	async fn steps(&self, instance: u64) -> Result<(), StepError> {
		loop {
			let Some(job) = self.book.job(instance) else { return Ok(()) };
			let best = self.best.load(Ordering::Relaxed);
			let moved = match job.stage {
				Stage::Assigned => self.wait_for_delivery(&job, best).await?,
				Stage::Submitted { .. } => self.check_outcome(&job, best).await?,
				Stage::Declining { .. } => self.decline(&job, best).await?,
				Stage::Delivered => self.compute(&job).await?,
				Stage::Computed { .. } => self.submit(&job, best).await?,
				Stage::Finished { at, .. } => self.drop_data(&job, at, best)?,
			};
			if !moved {
				return Ok(());
			}
		}
	}

	/// Finishes the job if its instance is over on chain.
	async fn check_outcome(&self, job: &Job, best: BlockNumber) -> Result<bool, StepError> {
		let on_chain = self.chain().instance(job.instance, None).await?;
		self.finish_if_over(job, on_chain.as_ref(), best)
	}

	/// Finishes the job if `on_chain` says its instance is over.
	fn finish_if_over(
		&self,
		job: &Job,
		on_chain: Option<&Instance>,
		best: BlockNumber,
	) -> Result<bool, StepError> {
		let Some(outcome) = Outcome::of(on_chain.map(|i| &i.status)) else { return Ok(false) };
		self.book.update(job.instance, |job| job.finish(outcome, best))?;
		say!("instance {}: finished: {outcome:?}", job.instance);
		Ok(true)
	}

	/// An undelivered job: finished if the instance is over, declined once the consumer has
	/// not delivered by [`Job::decline_from`].
	async fn wait_for_delivery(&self, job: &Job, best: BlockNumber) -> Result<bool, StepError> {
		if self.check_outcome(job, best).await? || best < job.decline_from() {
			return Ok(false);
		}
		if best >= job.deadline {
			self.missed(job, "the definition was never delivered");
		}
		let why = format!("not delivered by block {best}");
		// Under the delivery lock: a delivery being taken finishes first, and none is taken
		// once the job is declining.
		let _no_delivery = self.deliveries.lock().await;
		self.start_declining(job.instance, why, best)?;
		Ok(self.book.job(job.instance).is_some_and(|job| job.stage != Stage::Assigned))
	}

	/// Moves the job of `instance` to [`Stage::Declining`] at best block `best`, unless it was
	/// delivered meanwhile (the caller holds the delivery lock) or it is too late for the chain
	/// to take a `decline`; true if it moved.
	fn start_declining(
		&self,
		instance: u64,
		why: String,
		best: BlockNumber,
	) -> Result<bool, BookError> {
		let Some(job) = self.book.job(instance) else { return Ok(false) };
		if job.stage != Stage::Assigned || !job.can_decline_after(best) {
			return Ok(false);
		}
		let job = self.book.update(instance, |job| {
			job.advance(Stage::Declining { why: why.clone(), sent: None })
		})?;
		say!(
			"instance {instance}: {why}: declining (the chain takes it before block {})",
			job.decline_until()
		);
		Ok(true)
	}

	/// Declines a declining job's instance on chain (once: a decline waiting in the pool is not
	/// sent again), and finishes the job once the chain has it over.
	async fn decline(&self, job: &Job, best: BlockNumber) -> Result<bool, StepError> {
		let chain = self.chain();
		let on_chain = chain.instance(job.instance, None).await?;
		if on_chain.as_ref().map(|i| &i.status) != Some(&InstanceStatus::Assigned) {
			return self.finish_if_over(job, on_chain.as_ref(), best);
		}
		if !job.can_decline_after(best) {
			// The decline did not land in time: the job waits for its delivery again.
			self.book.update(job.instance, Job::reopen)?;
			say!(
				"instance {}: too late to decline (the chain took it before block {}): waiting \
				 for the delivery again, until the deadline (block {})",
				job.instance,
				job.decline_until(),
				job.deadline
			);
			return Ok(false);
		}
		if let Some(sent) = job.sent() {
			if chain.nonces(&self.account).await?.pooled(sent) {
				return Ok(false);
			}
		}
		let lease = chain.lease_nonce(&self.account).await?;
		self.book.update(job.instance, |job| job.note_sent(lease.nonce()))?;
		match lease.decline(&self.pair, job.instance).await {
			Ok(included) => {
				let block = chain.head(included.block).await?.map(|head| head.number);
				self.book.update(job.instance, |job| {
					job.finish(Outcome::Declined, block.unwrap_or(best))
				})?;
				let block =
					block.map_or_else(|| format!("{:?}", included.block), |n| n.to_string());
				say!(
					"instance {}: declined in block {block}; the consumer is refunded",
					job.instance
				);
				Ok(true)
			},
			Err(e) => {
				say!("instance {}: declining failed: {e}", job.instance);
				Ok(false)
			},
		}
	}

	/// Logs once that `job` missed its deadline, and why.
	fn missed(&self, job: &Job, why: &str) {
		if lock(&self.missed).insert(job.instance) {
			say!("instance {}: missed the deadline (block {}): {why}", job.instance, job.deadline);
		}
	}

	/// Does the work of a delivered job and stores its result and evidence.
	async fn compute(&self, job: &Job) -> Result<bool, StepError> {
		let started = Instant::now();
		let work = self.work(job).await.map_err(StepError::Refused)?;
		let result = work.result_hash();
		let what = match &*work {
			Work::Range(definition, range) => {
				let frame = wire::encode(range.result()).map_err(StepError::Frame)?;
				self.book.put_data(job.instance, DataFile::Result, &frame)?;
				let values = definition.values().map_or(0, |v| v.get());
				format!("{} hits in {values} values", range.result().hits.len())
			},
			Work::Storage(definition, _) => format!(
				"holding {} chunks of {} bytes until block {}",
				definition.chunks,
				definition.chunk_size,
				job.submit_from(Some(definition.term_blocks))
			),
		};
		let evidence = work.evidence(job.instance).encode();
		self.book.put_data(job.instance, DataFile::Evidence, &evidence)?;
		let evidence = Hash::from(sp_crypto_hashing::blake2_256(&evidence));
		self.book.update(job.instance, |job| {
			job.advance(Stage::Computed { result: Hash::from(result), evidence, sent: None })
		})?;
		say!(
			"instance {}: computed in {} ms: {what}, result {:?}",
			job.instance,
			started.elapsed().as_millis(),
			Hash::from(result)
		);
		Ok(true)
	}

	/// Submits a computed job's result once it is due, unless the chain has it already.
	async fn submit(&self, job: &Job, best: BlockNumber) -> Result<bool, StepError> {
		let Some((result, evidence)) = job.result() else { return Ok(false) };
		let term = match job.kind {
			ServiceKind::Range => None,
			ServiceKind::Storage => Some(self.storage_definition(job)?.term_blocks),
		};
		if best < job.submit_from(term) {
			return Ok(false);
		}
		let chain = self.chain();
		let on_chain = chain.instance(job.instance, None).await?;
		match on_chain.as_ref().map(|i| &i.status) {
			// The next block is the first the result can be in; it must be before the deadline.
			Some(InstanceStatus::Assigned) if best.saturating_add(1) >= job.deadline => {
				self.missed(job, "the result was not submitted in time");
				Ok(false)
			},
			Some(InstanceStatus::Assigned) => {
				// A result sent before (a submission that timed out, or a restart) that still
				// waits in the pool is not sent twice.
				if let Some(sent) = job.sent() {
					if chain.nonces(&self.account).await?.pooled(sent) {
						return Ok(false);
					}
				}
				let lease = chain.lease_nonce(&self.account).await?;
				self.book.update(job.instance, |job| job.note_sent(lease.nonce()))?;
				let evaluation = lease.submit_result(&self.pair, job.instance, result, evidence);
				let evaluation = match evaluation.await {
					Ok(evaluation) => evaluation,
					Err(e) => {
						say!("instance {}: submitting the result failed: {e}", job.instance);
						return Ok(false);
					},
				};
				let block = chain.head(evaluation.included.block).await?.map(|head| head.number);
				self.book.update(job.instance, |job| {
					job.advance(Stage::Submitted { result, evidence, block })
				})?;
				say!(
					"instance {}: submitted result {result:?} in block {}, pool {}",
					job.instance,
					block.map_or_else(
						|| format!("{:?}", evaluation.included.block),
						|n| n.to_string()
					),
					evaluation.pool
				);
				Ok(true)
			},
			Some(InstanceStatus::Evaluating { result: on_chain_result, pool, .. }) => {
				self.book.update(job.instance, |job| {
					job.advance(Stage::Submitted { result, evidence, block: None })
				})?;
				let same = if *on_chain_result == result { "" } else { " (NOT this result)" };
				say!(
					"instance {}: already evaluating by pool {pool} with result \
					 {on_chain_result:?}{same}, submitted before a restart: not submitted again",
					job.instance
				);
				Ok(true)
			},
			status => {
				let outcome = Outcome::of(status).unwrap_or(Outcome::Closed);
				self.book.update(job.instance, |job| job.finish(outcome, best))?;
				say!("instance {}: finished before its result: {outcome:?}", job.instance);
				Ok(true)
			},
		}
	}

	/// Drops a finished job's data once it has been kept long enough.
	fn drop_data(&self, job: &Job, at: BlockNumber, best: BlockNumber) -> Result<bool, StepError> {
		if !job.has_data() || best < at.saturating_add(self.config.keep_blocks) {
			return Ok(false);
		}
		self.book.remove_data(job.instance)?;
		lock(&self.works).remove(&job.instance);
		self.book.update(job.instance, Job::drop_data)?;
		say!("instance {}: data dropped, {} blocks after it finished", job.instance, best - at);
		Ok(true)
	}

	/// The storage definition of a delivered storage job.
	fn storage_definition(&self, job: &Job) -> Result<StorageDefinition, StepError> {
		let frame = self.data(job, DataFile::Definition).map_err(StepError::Refused)?;
		wire::decode(&frame).map_err(StepError::Frame)
	}

	/// A data file of a job that has its data.
	fn data(&self, job: &Job, file: DataFile) -> Result<Vec<u8>, Refusal> {
		let missing = || internal(format!("the store has lost {file:?} of the job"));
		self.book.data(job.instance, file).map_err(internal)?.ok_or_else(missing)
	}

	/// The work of a delivered job: built once, from the stored definition (and blob), on a
	/// blocking thread.
	async fn work(&self, job: &Job) -> Result<Arc<Work>, Refusal> {
		let cell = lock(&self.works).entry(job.instance).or_default().clone();
		let build = || async {
			let definition = self.data(job, DataFile::Definition)?;
			let blob = match job.kind {
				ServiceKind::Range => Vec::new(),
				ServiceKind::Storage => self.data(job, DataFile::Blob)?,
			};
			let (limits, cheat) = (self.config.limits, self.config.cheat);
			let seed = cheat_seed(job.instance, &job.definition.0);
			let kind = job.kind;
			let built = tokio::task::spawn_blocking(move || -> Result<Work, Refusal> {
				let malformed = |e: wire::WireError| internal(format!("stored definition: {e}"));
				let failed = |e: WorkError| internal(e);
				match kind {
					ServiceKind::Range => {
						let range = wire::decode(&definition).map_err(malformed)?;
						work::compute_range(&range, &limits, cheat, seed).map_err(failed)
					},
					ServiceKind::Storage => {
						let storage = wire::decode(&definition).map_err(malformed)?;
						work::hold_blob(&storage, &blob, &limits, cheat, seed).map_err(failed)
					},
				}
			});
			built.await.map_err(internal)?.map(Arc::new)
		};
		cell.get_or_try_init(build).await.cloned()
	}

	/// The job of `instance` with its data, for the endpoint's reads.
	fn job_with_data(&self, instance: u64) -> Result<Job, Refusal> {
		let job = self.book.job(instance).ok_or_else(|| {
			Refusal::new(EndpointError::UnknownInstance, "no job of this provider")
		})?;
		match job.stage {
			Stage::Assigned => Err(Refusal::new(EndpointError::NotReady, "not delivered yet")),
			_ if job.is_declined() => Err(Refusal::new(EndpointError::Declined, "never delivered")),
			_ if !job.has_data() => {
				Err(Refusal::new(EndpointError::Gone, "the instance is over, its data dropped"))
			},
			_ => Ok(job),
		}
	}

	/// The job of `instance`, of `kind`, with its data.
	fn job_of_kind(&self, instance: u64, kind: ServiceKind) -> Result<Job, Refusal> {
		let job = self.job_with_data(instance)?;
		if job.kind != kind {
			let why = format!("instance {instance} is {}, not {kind}", job.kind);
			return Err(Refusal::new(EndpointError::Malformed, why));
		}
		Ok(job)
	}

	/// `market_hello`.
	pub fn hello(&self) -> Hello {
		Hello {
			version: PROTOCOL_VERSION,
			provider: self.ss58(),
			kinds: self.config.kinds.iter().map(|kind| kind.name().to_owned()).collect(),
		}
	}

	/// `market_deliver`: opens, checks and stores the consumer's delivery for `instance`;
	/// every refusal is logged.
	pub async fn deliver(
		self: &Arc<Self>,
		instance: u64,
		sealed: &[u8],
	) -> Result<Receipt, Refusal> {
		let _one_at_a_time = self.deliveries.lock().await;
		let mut consumer = None;
		let received = self.receive(instance, sealed, &mut consumer).await;
		if let Err(refusal) = &received {
			let from = consumer.map_or_else(|| "an unknown sender".into(), |c| c.to_ss58check());
			say!("instance {instance}: refused delivery from {from}: {refusal}");
		}
		received
	}

	/// The checks and the storing of [`Provider::deliver`]; `consumer` is set once known.
	async fn receive(
		self: &Arc<Self>,
		instance: u64,
		sealed: &[u8],
		consumer: &mut Option<AccountId>,
	) -> Result<Receipt, Refusal> {
		let receipt = |job: &Job, duplicate| Receipt {
			instance,
			definition: format!("{:?}", job.definition),
			duplicate,
		};
		if let Some(job) = self.book.job(instance) {
			if job.is_declined() {
				let why = match &job.stage {
					Stage::Declining { why, .. } => why.as_str(),
					_ => "declined on chain",
				};
				return Err(Refusal::new(EndpointError::Declined, why));
			}
			if job.stage != Stage::Assigned {
				return Ok(receipt(&job, true));
			}
		}
		let chain = self.chain();
		let unknown = |why: String| Refusal::new(EndpointError::UnknownInstance, why);
		let on_chain = chain.instance(instance, None).await.map_err(internal)?;
		let on_chain = on_chain
			.filter(|on_chain| on_chain.provider == self.account)
			.ok_or_else(|| unknown("no such instance of this provider on chain".into()))?;
		*consumer = Some(on_chain.consumer.clone());
		if on_chain.status != InstanceStatus::Assigned {
			return Err(unknown(format!(
				"the instance is {}",
				types::status_name(&on_chain.status).0
			)));
		}
		let job = self
			.take(instance)
			.await
			.map_err(internal)?
			.ok_or_else(|| unknown("not a kind this provider implements".into()))?;
		let store = self.book.store();
		let opened = channel::open_delivery(
			&chain,
			store,
			&self.account,
			&self.keys,
			&on_chain.consumer,
			sealed,
		)
		.await;
		let delivery: Delivery =
			opened.map_err(|e| Refusal::new(EndpointError::from(&e), e.to_string()))?;
		// Checking a blob builds its Merkle tree, and storing it writes it: off the async
		// workers, so the endpoint and the chain follower go on meanwhile.
		let daemon = self.clone();
		let accepted = tokio::task::spawn_blocking(move || daemon.accept(&job, &delivery));
		let what = match accepted.await.map_err(internal)? {
			Ok(what) => what,
			// Work the provider will not do is declined at once: the consumer gets its fee back
			// now rather than at the deadline, and the provider's backing is not slashed.
			Err(refusal) if refusal.error == EndpointError::Refused => {
				let why = format!("refused the work: {}", refusal.reason);
				let best = self.best.load(Ordering::Relaxed);
				if self.start_declining(instance, why, best).map_err(internal)? {
					self.spawn_step(instance);
				}
				return Err(refusal);
			},
			Err(refusal) => return Err(refusal),
		};
		let job = self
			.book
			.update(instance, |job| job.advance(Stage::Delivered))
			.map_err(internal)?;
		say!("instance {instance}: delivered by {}: {what}", job.consumer.to_ss58check());
		self.spawn_step(instance);
		Ok(receipt(&job, false))
	}

	/// Checks `delivery` for `job` and stores it (for storage, with the blob's proofs ready to
	/// serve); gives what was delivered, in words.
	fn accept(&self, job: &Job, delivery: &Delivery) -> Result<String, Refusal> {
		let instance = job.instance;
		let checked = check_delivery(job, delivery, &self.config.limits)?;
		self.book
			.put_data(instance, DataFile::Definition, &delivery.definition)
			.map_err(internal)?;
		Ok(match checked {
			Checked::Range(range) => format!("range [{}, {})", range.start, range.end),
			Checked::Storage(storage, stored) => {
				self.book.put_data(instance, DataFile::Blob, &delivery.blob).map_err(internal)?;
				let seed = cheat_seed(instance, &job.definition.0);
				let held =
					work::held(&storage, *stored, self.config.cheat, seed).map_err(internal)?;
				let cell = lock(&self.works).entry(instance).or_default().clone();
				// The cell is new: nothing was built for a job that was not delivered.
				let _ = cell.set(Arc::new(held));
				format!(
					"{} bytes in {} chunks for {} blocks",
					delivery.blob.len(),
					storage.chunks,
					storage.term_blocks
				)
			},
		})
	}

	/// `market_definition`: the definition frame of a delivered instance.
	pub fn definition(&self, instance: u64) -> Result<Vec<u8>, Refusal> {
		let job = self.job_with_data(instance)?;
		self.data(&job, DataFile::Definition)
	}

	/// `market_result`: the result frame (range), or the definition frame whose hash is a
	/// storage instance's result hash.
	pub fn result(&self, instance: u64) -> Result<Vec<u8>, Refusal> {
		let job = self.job_with_data(instance)?;
		if job.result().is_none() && !job.is_finished() {
			return Err(Refusal::new(EndpointError::NotReady, "the result is not computed yet"));
		}
		match job.kind {
			ServiceKind::Range => self.data(&job, DataFile::Result),
			ServiceKind::Storage => self.data(&job, DataFile::Definition),
		}
	}

	/// `market_leaf`: the leaf of value index `index` of a computed range, with its proof.
	pub async fn leaf(&self, instance: u64, index: u64) -> Result<Vec<u8>, Refusal> {
		let job = self.job_of_kind(instance, ServiceKind::Range)?;
		if job.stage == Stage::Delivered {
			return Err(Refusal::new(EndpointError::NotReady, "the range is being computed"));
		}
		let work = self.work(&job).await?;
		let Work::Range(_, range) = &*work else { return Err(internal("not a range's work")) };
		let answer = range.answer(index).map_err(|e| match e {
			RangeError::IndexOutOfRange { .. } => Refusal::new(EndpointError::OutOfRange, e),
			other => internal(other),
		})?;
		wire::encode(&answer).map_err(internal)
	}

	/// `market_challenge`: the answer to a challenge on a stored blob.
	pub async fn challenge(&self, instance: u64, challenge: &[u8]) -> Result<Vec<u8>, Refusal> {
		let job = self.job_of_kind(instance, ServiceKind::Storage)?;
		let challenge: Challenge =
			wire::decode(challenge).map_err(|e| Refusal::new(EndpointError::Malformed, e))?;
		let work = self.work(&job).await?;
		let Work::Storage(_, stored) = &*work else { return Err(internal("not a blob")) };
		let answer = stored.answer(&challenge).map_err(|e| match e {
			StorageError::ChunkIndexOutOfRange { .. } => Refusal::new(EndpointError::OutOfRange, e),
			StorageError::ChunkMissing { .. } => Refusal::new(EndpointError::Gone, e),
			other => internal(other),
		})?;
		wire::encode(&answer).map_err(internal)
	}

	/// `market_retrieve`: a stored blob.
	pub fn retrieve(&self, instance: u64) -> Result<Vec<u8>, Refusal> {
		let job = self.job_of_kind(instance, ServiceKind::Storage)?;
		self.data(&job, DataFile::Blob)
	}
}

/// A new job of `kind` for `instance`, as the chain has it.
fn job_of(instance: u64, kind: ServiceKind, on_chain: &Instance) -> Job {
	Job {
		instance,
		kind,
		service_type: on_chain.service_type,
		consumer: on_chain.consumer.clone(),
		definition: on_chain.definition,
		volume: on_chain.volume,
		requested_at: on_chain.requested_at,
		deadline: on_chain.deadline,
		stage: Stage::Assigned,
	}
}
