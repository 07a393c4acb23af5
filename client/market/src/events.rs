//! The market's events, block by block, so that a program reacts to what happens on chain
//! instead of polling storage.

use std::collections::VecDeque;

use frame_support::traits::PalletInfoAccess;
use futures::{future::BoxFuture, stream::BoxStream, StreamExt};
use gpow_runtime::{BlockNumber, Hash, Runtime, RuntimeEvent, System};

use crate::{
	chain::{Chain, Head},
	error::Result,
	reads::decode,
	rpc::Follow,
};

/// An event as `System::Events` stores it, with its phase and topics.
pub type EventRecord = frame_system::EventRecord<RuntimeEvent, Hash>;

/// The most blocks [`Chain::follow`] fetches to fill one gap in the node's announcements;
/// beyond it (a node that was stuck, a long reorganization) the stream goes on from the new
/// head.
pub const MAX_GAP: BlockNumber = 256;

/// An event of the pallets the market runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarketEvent {
	/// Of the service market: types, offers, instances (`Requested`, `ResultSubmitted`),
	/// compensation (`Paid`, `Refunded`, `Slashed`).
	Services(pallet_services::Event<Runtime>),
	/// Of the reputation layer: posts, pools (`PoolInitiated`, `PanelDrawn`, `Staked`,
	/// `PoolSettled`, `Claimed`), REP and bonds.
	Reputation(pallet_reputation::Event<Runtime>),
	/// Of the SSK registry: encryption keys and envelopes.
	Ssk(pallet_ssk::Event<Runtime>),
}

impl MarketEvent {
	/// `event`, if it is one of the market's.
	pub fn from_runtime(event: RuntimeEvent) -> Option<Self> {
		match event {
			RuntimeEvent::Services(e) => Some(MarketEvent::Services(e)),
			RuntimeEvent::Reputation(e) => Some(MarketEvent::Reputation(e)),
			RuntimeEvent::Ssk(e) => Some(MarketEvent::Ssk(e)),
			_ => None,
		}
	}
}

/// A block and the market's events in it (none in most blocks: the block itself tells the
/// time, against which deadlines and pool windows run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketBlock {
	/// The block.
	pub head: Head,
	/// The market's events, in the order they were emitted.
	pub events: Vec<MarketEvent>,
}

impl Chain {
	/// Every event of block `block` (`System::Events`), decoded with the native runtime's
	/// types.
	pub async fn events(&self, block: Hash) -> Result<Vec<EventRecord>> {
		// `frame_system::Events` is private: its key is the pallet's prefix and the item's name.
		let system = <System as PalletInfoAccess>::name().as_bytes();
		let key = frame_support::storage::storage_prefix(system, b"Events").to_vec();
		let Some(bytes) = self.rpc.storage(key, Some(block)).await? else { return Ok(Vec::new()) };
		decode(&format!("system.Events at {block:?}"), &bytes)
	}

	/// The market's events of block `head`.
	pub async fn market_block(&self, head: Head) -> Result<MarketBlock> {
		let records = self.events(head.hash).await?;
		let events =
			records.into_iter().filter_map(|r| MarketEvent::from_runtime(r.event)).collect();
		Ok(MarketBlock { head, events })
	}

	/// Every new best or finalized block with the market's events in it, in order: the blocks
	/// the node's announcements skipped are fetched (up to [`MAX_GAP`] at a time) and come
	/// before the announced one. On [`Follow::Best`] a reorganization gives the new branch's
	/// blocks after the common ancestor (up to [`MAX_GAP`]; a deeper one gives the newest), so
	/// they come at the same or lower heights than blocks given before: treat the events as news
	/// of what to re-read, or follow [`Follow::Finalized`] blocks, which are final. The stream
	/// ends when the connection does; an error on one block does not end it. A block whose
	/// events could not be read is read again once the node announces another block (up to
	/// [`READ_ATTEMPTS`] times); a failed walk back is done again from the same place at the
	/// next announcement.
	pub async fn follow(&self, follow: Follow) -> Result<BoxStream<'static, Result<MarketBlock>>> {
		let follower = Follower::new(self.clone(), self.heads(follow).await?.boxed());
		let blocks = futures::stream::unfold(follower, |mut follower| async move {
			let item = follower.next().await?;
			Some((item, follower))
		});
		Ok(blocks.boxed())
	}
}

/// How many times [`Chain::follow`] tries to read a block's events before it gives the block
/// up (an error each time, then the next block).
pub const READ_ATTEMPTS: u8 = 3;

/// Where [`Chain::follow`]'s stream reads blocks: the node, or a test's chain.
trait BlockSource {
	/// Block `hash`, if the node has it.
	fn head_of(&self, hash: Hash) -> BoxFuture<'_, Result<Option<Head>>>;
	/// The market's events of block `head`.
	fn block_of(&self, head: Head) -> BoxFuture<'_, Result<MarketBlock>>;
}

impl BlockSource for Chain {
	fn head_of(&self, hash: Hash) -> BoxFuture<'_, Result<Option<Head>>> {
		Box::pin(self.head(hash))
	}

	fn block_of(&self, head: Head) -> BoxFuture<'_, Result<MarketBlock>> {
		Box::pin(self.market_block(head))
	}
}

/// The state of [`Chain::follow`]'s stream.
struct Follower<S> {
	source: S,
	heads: BoxStream<'static, Result<Head>>,
	/// The last block announced whose branch was queued.
	last: Option<Head>,
	/// Blocks to report, oldest first.
	queue: VecDeque<Head>,
	/// Failed reads of the block at the front of the queue.
	failures: u8,
	/// Whether to wait for the next announcement before reading the front block again.
	retry_later: bool,
}

impl<S: BlockSource> Follower<S> {
	/// A follower of the blocks `heads` announces.
	fn new(source: S, heads: BoxStream<'static, Result<Head>>) -> Self {
		Follower {
			source,
			heads,
			last: None,
			queue: VecDeque::new(),
			failures: 0,
			retry_later: false,
		}
	}

	/// The next block with its events; `None` when the node's announcements end. A block whose
	/// events cannot be read stays first in the queue and is read again once the node
	/// announces another block, up to [`READ_ATTEMPTS`] times.
	async fn next(&mut self) -> Option<Result<MarketBlock>> {
		// An announcement of a block already given queues nothing: wait for the next.
		while self.queue.is_empty() || self.retry_later {
			self.retry_later = false;
			let head = match self.heads.next().await? {
				Ok(head) => head,
				Err(e) => return Some(Err(e)),
			};
			if let Err(e) = self.enqueue(head).await {
				return Some(Err(e));
			}
		}
		let head = *self.queue.front()?;
		let block = self.source.block_of(head).await;
		self.failures = if block.is_ok() { 0 } else { self.failures.saturating_add(1) };
		if block.is_ok() || self.failures >= READ_ATTEMPTS {
			self.queue.pop_front();
			self.failures = 0;
		} else {
			self.retry_later = true;
		}
		Some(block)
	}

	/// Queues the blocks of `head`'s branch that were not reported, oldest first, then `head`
	/// (see [`unreported`]). When a read fails on the way nothing is queued and the last block
	/// stays, so the next announcement's walk covers these blocks too.
	async fn enqueue(&mut self, head: Head) -> Result<()> {
		let branch = match self.last {
			None => vec![head],
			Some(last) => {
				let source = &self.source;
				unreported(head, last, |hash| source.head_of(hash)).await?
			},
		};
		self.last = Some(head);
		self.queue.extend(branch);
		Ok(())
	}
}

/// The blocks of `head`'s branch not reported by a stream whose last block was `last`, oldest
/// first, ending with `head` (none when `head` is `last`). The walk back by parent hash
/// (`head_of` reads a block) ends where the branch joins the blocks reported before (at `last`,
/// or after a reorganization at their common ancestor), at a parent the node does not have
/// or whose number is not one less, or after [`MAX_GAP`] blocks.
async fn unreported<F, Fut>(head: Head, last: Head, mut head_of: F) -> Result<Vec<Head>>
where
	F: FnMut(Hash) -> Fut,
	Fut: std::future::Future<Output = Result<Option<Head>>>,
{
	if head.hash == last.hash {
		return Ok(Vec::new());
	}
	let (mut branch, mut oldest, mut old) = (vec![head], head, last);
	for _ in 0..MAX_GAP.saturating_mul(2) {
		if oldest.parent == old.hash {
			break;
		}
		// The reported chain steps back until it is below the branch's oldest block, and the
		// branch until its oldest block's parent is a reported one.
		let from_branch = old.number < oldest.number;
		let Some(parent) = head_of(if from_branch { oldest.parent } else { old.parent }).await?
		else {
			break;
		};
		if !from_branch {
			old = parent;
			continue;
		}
		if parent.number.saturating_add(1) != oldest.number || branch.len() > MAX_GAP as usize {
			break;
		}
		branch.push(parent);
		oldest = parent;
	}
	branch.reverse();
	Ok(branch)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::collections::HashMap;

	/// Block `number` of branch `fork` (its hash: the branch in the first byte, the number
	/// after), whose parent is `parent`.
	fn block(fork: u8, number: BlockNumber, parent: Hash) -> Head {
		let mut hash = [0; 32];
		hash[0] = fork;
		hash[1..5].copy_from_slice(&number.to_be_bytes());
		Head { number, hash: Hash::from(hash), parent }
	}

	/// A chain of blocks 0..=`to` of branch 0, and of branch 1 forking after block `fork_at`.
	fn chains(to: BlockNumber, fork_at: BlockNumber) -> (Vec<Head>, Vec<Head>) {
		let mut main = vec![block(0, 0, Hash::zero())];
		for n in 1..=to {
			main.push(block(0, n, main[n as usize - 1].hash));
		}
		let mut fork = main[..=fork_at as usize].to_vec();
		for n in fork_at + 1..=to {
			fork.push(block(1, n, fork[n as usize - 1].hash));
		}
		(main, fork)
	}

	fn walk(head: Head, last: Head, known: &[Head]) -> Vec<BlockNumber> {
		let by_hash: HashMap<Hash, Head> = known.iter().map(|h| (h.hash, *h)).collect();
		let branch = futures::executor::block_on(unreported(head, last, |hash| {
			let found = by_hash.get(&hash).copied();
			async move { Ok(found) }
		}))
		.expect("no read fails");
		assert!(branch.windows(2).all(|w| w[1].parent == w[0].hash), "a chain: {branch:?}");
		assert_eq!(branch.last().copied(), (!branch.is_empty()).then_some(head));
		branch.iter().map(|h| h.number).collect()
	}

	#[test]
	fn a_gap_is_filled_from_the_last_block() {
		let (main, _) = chains(10, 10);
		assert_eq!(walk(main[5], main[4], &main), [5]);
		assert_eq!(walk(main[9], main[4], &main), [5, 6, 7, 8, 9]);
		assert_eq!(walk(main[4], main[4], &main), [] as [BlockNumber; 0]);
	}

	#[test]
	fn a_reorganization_gives_the_new_branch_after_the_common_ancestor() {
		let (main, fork) = chains(10, 3);
		let known: Vec<Head> = main.iter().chain(&fork).copied().collect();
		// From main's 6 to the fork's 7 (common ancestor 3): 4..=7 of the fork.
		let branch = walk(fork[7], main[6], &known);
		assert_eq!(branch, [4, 5, 6, 7]);
		// To a lower block of the other branch.
		assert_eq!(walk(fork[5], main[8], &known), [4, 5]);
		// Back to an ancestor of the last block: only it.
		assert_eq!(walk(main[2], main[8], &known), [2]);
	}

	/// A chain of blocks known by hash, whose reads fail as many times as `failing` says (per
	/// hash), noting every read in `log`.
	#[derive(Default)]
	struct TestChain {
		blocks: HashMap<Hash, Head>,
		failing: std::sync::Mutex<HashMap<Hash, u8>>,
		log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
	}

	impl TestChain {
		fn new(blocks: &[Head], failing: &[(Head, u8)]) -> Self {
			TestChain {
				blocks: blocks.iter().map(|h| (h.hash, *h)).collect(),
				failing: std::sync::Mutex::new(failing.iter().map(|(h, n)| (h.hash, *n)).collect()),
				log: Default::default(),
			}
		}

		fn read(&self, what: &str, head: Head) -> Result<()> {
			self.log.lock().unwrap().push(format!("{what} {}", head.number));
			let mut failing = self.failing.lock().unwrap();
			match failing.get_mut(&head.hash).filter(|left| **left > 0) {
				Some(left) => {
					*left -= 1;
					let reason = format!("block {} unreadable", head.number);
					Err(crate::Error::Decode { what: what.into(), reason })
				},
				None => Ok(()),
			}
		}
	}

	impl BlockSource for TestChain {
		fn head_of(&self, hash: Hash) -> BoxFuture<'_, Result<Option<Head>>> {
			let found = self.blocks.get(&hash).copied();
			let read = found.map_or(Ok(()), |head| self.read("head", head));
			Box::pin(async move { read.map(|()| found) })
		}

		fn block_of(&self, head: Head) -> BoxFuture<'_, Result<MarketBlock>> {
			let read = self.read("events", head);
			Box::pin(async move { read.map(|()| MarketBlock { head, events: Vec::new() }) })
		}
	}

	/// What the stream gives for the announcements `announced` (block numbers of `chain`), as
	/// `n` for a block and `error` for an error; and the log of reads and announcements.
	fn follow(
		chain: TestChain,
		blocks: &[Head],
		announced: &[usize],
	) -> (Vec<String>, Vec<String>) {
		let log = chain.log.clone();
		let heads: Vec<Result<Head>> = announced.iter().map(|n| Ok(blocks[*n])).collect();
		let announce = log.clone();
		let heads = futures::stream::iter(heads)
			.inspect(move |h| {
				let number = h.as_ref().map_or(0, |h| h.number);
				announce.lock().unwrap().push(format!("announced {number}"));
			})
			.boxed();
		let mut follower = Follower::new(chain, heads);
		let mut given = Vec::new();
		futures::executor::block_on(async {
			while let Some(item) = follower.next().await {
				given.push(item.map_or_else(|_| "error".into(), |b| b.head.number.to_string()));
			}
		});
		let log = log.lock().unwrap().clone();
		(given, log)
	}

	#[test]
	fn a_failed_read_is_tried_again_after_the_next_announcement() {
		let (main, _) = chains(4, 4);
		let chain = TestChain::new(&main, &[(main[2], 1)]);
		let (given, log) = follow(chain, &main, &[1, 2, 3]);
		assert_eq!(given, ["1", "error", "2", "3"]);
		// Block 2 was read again only once block 3 was announced.
		let again = log.iter().rposition(|l| l == "events 2").unwrap();
		let announced = log.iter().position(|l| l == "announced 3").unwrap();
		assert!(announced < again, "{log:?}");
	}

	#[test]
	fn a_block_that_cannot_be_read_is_given_up_after_its_attempts() {
		let (main, _) = chains(6, 6);
		let chain = TestChain::new(&main, &[(main[2], u8::MAX)]);
		let (given, _) = follow(chain, &main, &[1, 2, 3, 4, 5]);
		assert_eq!(given, ["1", "error", "error", "error", "3", "4", "5"]);
	}

	#[test]
	fn a_failed_walk_is_made_again_at_the_next_announcement() {
		let (main, _) = chains(6, 6);
		// Announced 1, then 4 whose walk fails reading 3, then 5.
		let chain = TestChain::new(&main, &[(main[3], 1)]);
		let (given, _) = follow(chain, &main, &[1, 4, 5]);
		assert_eq!(given, ["1", "error", "2", "3", "4", "5"]);
	}

	#[test]
	fn a_repeated_announcement_does_not_end_the_stream() {
		let (main, _) = chains(3, 3);
		let (given, _) = follow(TestChain::new(&main, &[]), &main, &[1, 1, 2]);
		assert_eq!(given, ["1", "2"]);
	}

	#[test]
	fn the_walk_stops_at_an_unknown_parent_and_at_the_bound() {
		let (main, _) = chains(MAX_GAP + 20, MAX_GAP + 20);
		// Blocks 0..=4 unknown to the node: the walk gives what it can read.
		assert_eq!(walk(main[8], main[2], &main[5..]), [5, 6, 7, 8]);
		let far = walk(main[MAX_GAP as usize + 20], main[0], &main);
		assert_eq!(far.len(), MAX_GAP as usize + 1);
	}
}
