//! Submitting a signed call and waiting for its outcome: the events it emitted, or why it
//! failed.

use codec::Encode;
use gpow_runtime::{AccountId, Hash, Nonce, RuntimeCall, RuntimeEvent};
use jsonrpsee::core::client::Subscription;
use sp_core::{sr25519, Pair};

use crate::{
	chain::Chain,
	error::{DispatchFailure, Error, Result},
	events::EventRecord,
	rpc::TxStatus,
	sign::signed_extrinsic,
};

/// A transaction whose call succeeded in a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Included {
	/// The block.
	pub block: Hash,
	/// Its index among the block's extrinsics.
	pub index: u32,
	/// The events it emitted, in order (ending with `system.ExtrinsicSuccess`).
	pub events: Vec<RuntimeEvent>,
}

impl Included {
	/// The first event `pick` picks.
	pub fn find<T>(&self, pick: impl FnMut(&RuntimeEvent) -> Option<T>) -> Option<T> {
		self.events.iter().find_map(pick)
	}

	/// The first event `pick` picks, or [`Error::MissingEvent`] naming `event`.
	pub(crate) fn expect<T>(
		&self,
		event: &'static str,
		pick: impl FnMut(&RuntimeEvent) -> Option<T>,
	) -> Result<T> {
		self.find(pick).ok_or(Error::MissingEvent { block: self.block, event })
	}
}

/// A signer's nonces, to tell whether a transaction it sent with a nonce still waits in the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nonces {
	/// At the best block: how many of its transactions the chain holds.
	pub included: Nonce,
	/// The next one, counting the transactions waiting in the pool.
	pub next: Nonce,
}

impl Nonces {
	/// Whether a transaction with `nonce` waits in the pool: not in the chain yet, and the
	/// pool counts it.
	pub fn pooled(&self, nonce: Nonce) -> bool {
		self.included <= nonce && nonce < self.next
	}
}

/// The next nonce of a signer, held: no other submission through the same [`Chain`] (or its
/// clones) takes a nonce until this lease is used or dropped. A program that must know, after
/// a timeout or a restart, whether its transaction may still be waiting in the pool records
/// [`NonceLease::nonce`] before [`NonceLease::submit`]: while the signer's nonce at the best
/// block is at most the recorded one and its next nonce counting the pool is past it
/// ([`Chain::nonces`], [`Nonces::pooled`]), the transaction (or another with that nonce) waits
/// in the pool, and sending the call again would make it twice.
pub struct NonceLease {
	chain: Chain,
	nonce: Nonce,
	held: tokio::sync::OwnedMutexGuard<()>,
}

impl NonceLease {
	/// The nonce the transaction will have.
	pub fn nonce(&self) -> Nonce {
		self.nonce
	}

	/// Signs `call` by `signer` with the leased nonce and submits it as [`Chain::submit`]
	/// does. `signer` must be the account the nonce was leased for.
	pub async fn submit(self, signer: &sr25519::Pair, call: RuntimeCall) -> Result<Included> {
		let NonceLease { chain, nonce, held } = self;
		let version = chain.rpc.runtime_version(None).await?;
		let xt = signed_extrinsic(signer, call, nonce, chain.genesis, &version).encode();
		let watch = chain.rpc.submit_and_watch(xt.clone()).await?;
		drop(held);
		let block = chain.in_block(watch).await?;
		chain.outcome(block, &xt).await
	}
}

impl Chain {
	/// Signs `call` by `signer` (an immortal transaction with its next nonce and no tip),
	/// submits it, waits until it is in a block and returns its events, or why it failed: the
	/// pool's refusal ([`Error::Refused`]), the call's error ([`Error::Failed`], named as
	/// `services.ZeroCapacity`), [`Error::Dropped`], [`Error::Invalid`], [`Error::Usurped`],
	/// [`Error::Timeout`].
	pub async fn submit(&self, signer: &sr25519::Pair, call: RuntimeCall) -> Result<Included> {
		self.lease_nonce(&AccountId::from(signer.public()))
			.await?
			.submit(signer, call)
			.await
	}

	/// Leases `who`'s next nonce (counting the pool) for one submission: see [`NonceLease`].
	pub async fn lease_nonce(&self, who: &AccountId) -> Result<NonceLease> {
		let held = self.submitting.clone().lock_owned().await;
		let nonce = self.rpc.next_nonce(who).await?;
		Ok(NonceLease { chain: self.clone(), nonce, held })
	}

	/// `who`'s nonces: at the best block, and the next counting the pool
	/// (`system_accountNextIndex`).
	pub async fn nonces(&self, who: &AccountId) -> Result<Nonces> {
		let included = self.nonce(who, None).await?;
		Ok(Nonces { included, next: self.rpc.next_nonce(who).await? })
	}

	/// Waits for the block `watch` reports the transaction in.
	async fn in_block(&self, mut watch: Subscription<TxStatus>) -> Result<Hash> {
		let mut last = TxStatus::Ready;
		let wait = async {
			while let Some(status) = watch.next().await {
				let status = status.map_err(|e| Error::Decode {
					what: "a transaction status".into(),
					reason: e.to_string(),
				})?;
				match status {
					TxStatus::InBlock(block) | TxStatus::Finalized(block) => return Ok(block),
					TxStatus::Usurped(by) => return Err(Error::Usurped(by)),
					TxStatus::Dropped => return Err(Error::Dropped),
					TxStatus::Invalid => return Err(Error::Invalid),
					other => last = other,
				}
			}
			Err::<Hash, Error>(Error::WatchEnded)
		};
		let outcome = tokio::time::timeout(self.timeout, wait).await;
		outcome
			.unwrap_or_else(|_| Err(Error::Timeout { after: self.timeout, last: last.describe() }))
	}

	/// The events of the extrinsic `xt` in `block`, or its error.
	async fn outcome(&self, block: Hash, xt: &[u8]) -> Result<Included> {
		let extrinsics = self.rpc.extrinsics(block).await?.unwrap_or_default();
		let index = extrinsics
			.iter()
			.position(|e| e.0 == xt)
			.and_then(|i| u32::try_from(i).ok())
			.ok_or(Error::NotInBlock(block))?;
		let events: Vec<RuntimeEvent> = self
			.events(block)
			.await?
			.into_iter()
			.filter(|record| is_of(record, index))
			.map(|record| record.event)
			.collect();
		for event in &events {
			match event {
				RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }) => {
					return Ok(Included { block, index, events })
				},
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
					dispatch_error,
					..
				}) => return Err(Error::Failed(DispatchFailure::new(*dispatch_error, block))),
				_ => {},
			}
		}
		Err(Error::MissingEvent { block, event: "system.ExtrinsicSuccess" })
	}
}

/// Whether `record` was emitted by the extrinsic at `index`.
fn is_of(record: &EventRecord, index: u32) -> bool {
	matches!(record.phase, frame_system::Phase::ApplyExtrinsic(i) if i == index)
}
