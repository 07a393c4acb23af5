//! Weighing the peers' conflicting chains: their headers are downloaded from each peer's best
//! block down to the first block this node knows (the fork point), every seal is checked, and the
//! difficulties the seals claim are summed. That sum is the work the chain proves: a seal can
//! understate the work behind it but never overstate it. Checked headers are cached, so a peer
//! that mines on only costs the headers that are new.

use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

use gpow_runtime::opaque::{Block, Header};
use sc_network::PeerId;
use sc_network_common::sync::message::{BlockAttributes, BlockRequest, Direction, FromBlock};
use schnellru::{ByLength, LruMap};
use sp_blockchain::HeaderBackend;
use sp_core::{H256, U256};
use sp_runtime::traits::Header as HeaderT;

use super::{state::ConflictingChain, BlockRef, ForkWatch, NetworkParts, LOG_TARGET};

/// Headers asked for in one request (the most a Substrate peer answers with).
const HEADERS_PER_REQUEST: u32 = 128;

/// The most headers fetched to weigh one chain: a fork deeper than this is reported as refused
/// but not weighed.
pub const MAX_FORK_HEADERS: u32 = 16 * 1024;

/// Checked headers kept between weighings.
const CACHED_HEADERS: u32 = 2 * MAX_FORK_HEADERS;

/// How long one weighing (of every peer's chain) may take: the import queue waits for it.
const WEIGH_TIMEOUT: Duration = Duration::from_secs(20);

/// Weighings closer together than this reuse the last result (a peer that reconnects sends the
/// same refused block again).
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// A header whose seal was checked: its parent and the difficulty its seal proves.
#[derive(Clone, Copy)]
struct CheckedHeader {
	parent: H256,
	work: U256,
}

/// Headers of conflicting chains already checked, by hash.
pub struct HeaderCache {
	headers: LruMap<H256, CheckedHeader>,
	last_weighing: Option<Instant>,
}

impl HeaderCache {
	/// An empty cache.
	pub fn new() -> Self {
		Self { headers: LruMap::new(ByLength::new(CACHED_HEADERS)), last_weighing: None }
	}
}

impl Default for HeaderCache {
	fn default() -> Self {
		Self::new()
	}
}

/// The work a header's seal proves: the difficulty it claims, if its nonce meets it.
pub fn proven_work(header: &Header) -> Result<U256, String> {
	let (pre_hash, seal) = super::guard::split_seal(header)?;
	let claimed = gpow_primitives_pow::Seal::decode_exact(&seal)
		.map_err(|e| format!("header {:?}: {e}", header.hash()))?
		.difficulty;
	gpow_primitives_pow::check_seal(pre_hash.as_fixed_bytes(), &seal, claimed)
		.map_err(|e| format!("header {:?}: {e}", header.hash()))?;
	Ok(claimed)
}

impl ForkWatch {
	/// Weighs the chains of the peers whose best block this node does not know, and records the
	/// heaviest that forks off below the finalized block. Called when such a block was refused.
	pub(crate) async fn weigh_conflicting_chains(&self) {
		let Some(network) = self.network() else { return };
		{
			let mut cache = self.headers.lock();
			if cache.last_weighing.is_some_and(|last| last.elapsed() < MIN_INTERVAL) {
				return;
			}
			cache.last_weighing = Some(Instant::now());
		}
		let Ok(peers) = network.sync.peers_info().await else { return };
		// Peers grouped by the unknown best block they follow.
		let mut tips = BTreeMap::<H256, (u32, Vec<PeerId>)>::new();
		for (peer, info) in peers {
			if matches!(self.client.header(info.best_hash), Ok(None)) {
				tips.entry(info.best_hash)
					.or_insert((info.best_number, Vec::new()))
					.1
					.push(peer);
			}
		}
		let finalized = self.client.info().finalized_number;
		let deadline = tokio::time::Instant::now() + WEIGH_TIMEOUT;
		let mut heaviest: Option<ConflictingChain> = None;
		for (hash, (number, peers)) in tips {
			let tip = BlockRef { number, hash };
			let weighed =
				tokio::time::timeout_at(deadline, self.weigh_chain(network, peers[0], tip)).await;
			let (fork_point, work) = match weighed {
				Ok(Ok(weighed)) => weighed,
				Ok(Err(e)) => {
					log::debug!(target: LOG_TARGET, "weighing the chain of {} failed: {e}", peers[0]);
					continue;
				},
				Err(_) => {
					log::debug!(target: LOG_TARGET, "weighing the chain of {} timed out", peers[0]);
					continue;
				},
			};
			// A chain forking at or above the finalized block is ordinary sync business.
			if fork_point.number >= finalized {
				continue;
			}
			if heaviest.as_ref().is_none_or(|known| work > known.work) {
				heaviest = Some(ConflictingChain {
					fork_point,
					tip,
					work,
					peers: peers.iter().map(ToString::to_string).collect(),
					first_seen: 0,
					last_seen: 0,
				});
			}
		}
		if let Some(chain) = heaviest {
			self.record(chain);
		}
	}

	/// Walks `peer`'s chain down from `tip` to the first block this node knows, checking every
	/// header; returns that block (the fork point) and the work proven above it.
	async fn weigh_chain(
		&self,
		network: &NetworkParts,
		peer: PeerId,
		tip: BlockRef,
	) -> Result<(BlockRef, U256), String> {
		let mut cursor = tip;
		let mut work = U256::zero();
		let mut fetched = 0u32;
		loop {
			if self.client.header(cursor.hash).map_err(|e| e.to_string())?.is_some() {
				return Ok((cursor, work));
			}
			let cached = self.headers.lock().headers.get(&cursor.hash).copied();
			if let Some(checked) = cached {
				work = work.saturating_add(checked.work);
				cursor = parent_of(cursor, checked.parent)?;
				continue;
			}
			if fetched >= MAX_FORK_HEADERS {
				return Err(format!("the fork is deeper than {MAX_FORK_HEADERS} headers"));
			}
			let headers = download(network, peer, cursor.hash).await?;
			for header in headers {
				if header.hash() != cursor.hash || *header.number() != cursor.number {
					return Err(format!("{peer} answered with a header other than {cursor:?}"));
				}
				let checked =
					CheckedHeader { parent: *header.parent_hash(), work: proven_work(&header)? };
				self.headers.lock().headers.insert(cursor.hash, checked);
				fetched += 1;
				work = work.saturating_add(checked.work);
				cursor = parent_of(cursor, checked.parent)?;
				if self.client.header(cursor.hash).map_err(|e| e.to_string())?.is_some() {
					break;
				}
			}
		}
	}
}

/// The block below `child` with hash `parent`.
fn parent_of(child: BlockRef, parent: H256) -> Result<BlockRef, String> {
	let number = child
		.number
		.checked_sub(1)
		.ok_or_else(|| "the chain has a different genesis block".to_string())?;
	Ok(BlockRef { number, hash: parent })
}

/// Up to [`HEADERS_PER_REQUEST`] headers from `peer`, from `from` down towards genesis.
async fn download(network: &NetworkParts, peer: PeerId, from: H256) -> Result<Vec<Header>, String> {
	let request = BlockRequest::<Block> {
		id: 0,
		fields: BlockAttributes::HEADER,
		from: FromBlock::Hash(from),
		direction: Direction::Descending,
		max: Some(HEADERS_PER_REQUEST),
	};
	let (response, _protocol) = network
		.downloader
		.download_blocks(peer, request.clone())
		.await
		.map_err(|_| format!("the request to {peer} was cancelled"))?
		.map_err(|e| format!("the request to {peer} failed: {e}"))?;
	let blocks = network
		.downloader
		.block_response_into_blocks(&request, response)
		.map_err(|e| format!("{peer} sent an undecodable response: {e:?}"))?;
	if blocks.is_empty() {
		return Err(format!("{peer} did not send the headers below {from:?}"));
	}
	blocks
		.into_iter()
		.map(|block| block.header.ok_or_else(|| format!("{peer} sent a block without header")))
		.collect()
}
