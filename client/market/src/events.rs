//! The market's events, block by block, so that a program reacts to what happens on chain
//! instead of polling storage.

use std::collections::VecDeque;

use frame_support::traits::PalletInfoAccess;
use futures::{stream::BoxStream, StreamExt};
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
	/// before the announced one. On [`Follow::Best`] a reorganization shows as a block at the
	/// same or a lower height than the last: treat the events as news of what to re-read,
	/// or follow [`Follow::Finalized`] blocks, which are final. The stream ends when the
	/// connection does; an error on one block does not end it.
	pub async fn follow(&self, follow: Follow) -> Result<BoxStream<'static, Result<MarketBlock>>> {
		let follower = Follower {
			chain: self.clone(),
			heads: self.heads(follow).await?.boxed(),
			last: None,
			queue: VecDeque::new(),
		};
		let blocks = futures::stream::unfold(follower, |mut follower| async move {
			let item = follower.next().await?;
			Some((item, follower))
		});
		Ok(blocks.boxed())
	}
}

/// The state of [`Chain::follow`]'s stream.
struct Follower {
	chain: Chain,
	heads: BoxStream<'static, Result<Head>>,
	/// The height of the last block announced.
	last: Option<BlockNumber>,
	/// Blocks to report, oldest first.
	queue: VecDeque<Head>,
}

impl Follower {
	/// The next block with its events; `None` when the node's announcements end.
	async fn next(&mut self) -> Option<Result<MarketBlock>> {
		if self.queue.is_empty() {
			let head = match self.heads.next().await? {
				Ok(head) => head,
				Err(e) => return Some(Err(e)),
			};
			if let Err(e) = self.enqueue(head).await {
				return Some(Err(e));
			}
		}
		let head = self.queue.pop_front()?;
		Some(self.chain.market_block(head).await)
	}

	/// Queues the blocks between the last one announced and `head`, then `head`. The walk
	/// back stops at a parent the node does not have or whose number is not one less.
	async fn enqueue(&mut self, head: Head) -> Result<()> {
		let mut skipped = Vec::new();
		if let Some(last) = self.last {
			let mut oldest = head;
			while oldest.number > last.saturating_add(1) && skipped.len() < MAX_GAP as usize {
				let Some(parent) = self.chain.head(oldest.parent).await? else { break };
				if parent.number.saturating_add(1) != oldest.number {
					break;
				}
				skipped.push(parent);
				oldest = parent;
			}
		}
		self.last = Some(head.number);
		self.queue.extend(skipped.into_iter().rev());
		self.queue.push_back(head);
		Ok(())
	}
}
