//! # GPoW market client
//!
//! The chain side of the service market for off-chain programs (the provider, validator and
//! consumer of issue 15): a [`Chain`] is a WebSocket JSON-RPC connection to a `gpow-node`
//! through which a program signs and submits the market's calls, reads its state and follows
//! its events, all with the runtime's own types (`gpow-runtime`, compiled natively): a call is
//! a [`RuntimeCall`](gpow_runtime::RuntimeCall), an event a
//! [`RuntimeEvent`](gpow_runtime::RuntimeEvent), a stored instance a
//! `pallet_services::InstanceRecord`. Nothing is described by metadata at run time, so the
//! program must be built with the runtime its node runs ([`RuntimeVersion::is_native`]).
//!
//! ## Overview
//!
//! - **Connecting** ([`Chain::connect`]): the genesis hash, the runtime version, the best and
//!   finalized heads, and a subscription to new ones ([`Chain::heads`]).
//! - **Submitting** ([`Chain::submit`]): a call signed with an sr25519 key as an immortal
//!   transaction with the signer's next nonce (`system_accountNextIndex`), sent with
//!   `author_submitAndWatchExtrinsic`, and followed until it is in a block. The answer is its
//!   events ([`Included`]) or an [`Error`] by name: the pool's refusal (1010 invalid, 1014
//!   priority too low, 1016 dropped), the call's failure named as polkadot.js names it
//!   (`services.ZeroCapacity`, see [`DispatchFailure`]), dropped, invalid, usurped, a timeout.
//!   A program that must not send a call twice after a timeout or a restart leases the nonce
//!   first ([`Chain::lease_nonce`]) and records it: [`NonceLease`] says how to tell later
//!   whether the transaction still waits in the pool ([`Chain::nonces`]).
//! - **The market's calls** (`calls`): [`Chain::offer`], [`Chain::request`] (which returns the
//!   [`Assignment`]), [`Chain::submit_result`] (the [`Evaluation`] pool), [`Chain::cancel`],
//!   [`Chain::stake`], [`Chain::settle`], [`Chain::claim`].
//! - **Reads** (`reads`), at the best block or any block: [`Chain::instance`],
//!   [`Chain::service_type`], a type's offers with their providers ([`Chain::offers`], the
//!   services runtime API) or one provider's ([`Chain::offer_of`]), [`Chain::pool`],
//!   [`Chain::pool_instance`], [`Chain::stake_in`], [`Chain::rep`], [`Chain::nonce`],
//!   [`Chain::encryption_key`], [`Chain::envelope`].
//! - **Events** ([`Chain::follow`]): every new best or finalized block with the events of the
//!   services, reputation and SSK pallets in it ([`MarketBlock`]), gaps in the node's
//!   announcements filled, so a daemon reacts to `Requested`, `ResultSubmitted`,
//!   `PanelDrawn`, `PoolSettled`, `Paid`... without polling storage.
//!
//! Every answer of the node is decoded into a type or refused with [`Error::Decode`]; nothing
//! the node sends can make this crate panic. It runs on tokio (as jsonrpsee's client does), with
//! its timer enabled.
//!
//! ## Signing without the runtime's storage
//!
//! `SignedPayload::new` computes the transaction extensions' implicit values (spec and
//! transaction versions, genesis hash) from the runtime's state and panics outside
//! externalities. The signer here (`sign`) builds the payload with `SignedPayload::from_raw`
//! and fills them in from the node's genesis hash and current runtime version (read again at
//! every submission, so a runtime upgrade does not break signing); a unit test checks that
//! they are byte for byte what the runtime computes.
//!
//! ## Example
//!
//! ```no_run
//! use gpow_market_client::{Chain, Follow, MarketEvent, Request};
//! use futures::StreamExt;
//! use sp_core::{sr25519, Pair};
//!
//! # async fn run() -> Result<(), gpow_market_client::Error> {
//! let chain = Chain::connect("ws://127.0.0.1:9944").await?;
//! let alice = sr25519::Pair::from_string("//Alice", None).expect("a dev key");
//! let bob = sr25519::Pair::from_string("//Bob", None).expect("a dev key");
//!
//! // A provider offers type 0: 100 units at 1 GPOW each, bonding 100 REP.
//! let (unit, endpoint) = (gpow_runtime::UNIT, b"wss://alice.example".to_vec());
//! chain.offer(&alice, 0, 100, unit, endpoint, 100 * unit).await?;
//!
//! // A consumer requests 10 units; negotiation assigns an instance.
//! let definition = sp_core::H256::repeat_byte(1);
//! let request = Request {
//!     service_type: 0,
//!     definition,
//!     payload: Vec::new(),
//!     volume: 10,
//!     max_rate: 2 * unit,
//!     provider: None,
//! };
//! let assigned = chain.request(&bob, request).await?;
//! let instance = chain.instance(assigned.instance, None).await?.expect("just created");
//! assert_eq!(instance.definition, definition);
//!
//! // A daemon follows the market's events block by block.
//! let mut blocks = chain.follow(Follow::Best).await?;
//! while let Some(block) = blocks.next().await {
//!     for event in block?.events {
//!         if let MarketEvent::Services(pallet_services::Event::Requested { instance, .. }) = event {
//!             println!("instance {instance} assigned");
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod calls;
mod chain;
mod error;
mod events;
mod reads;
mod rpc;
mod sign;
mod submit;

pub use calls::{Assignment, Evaluation, Request};
pub use chain::{Chain, Head, DEFAULT_TIMEOUT};
pub use error::{DispatchFailure, Error, Result};
pub use events::{EventRecord, MarketBlock, MarketEvent, MAX_GAP, READ_ATTEMPTS};
pub use reads::{
	EncryptionKey, Envelope, Instance, Offer, OfferInfo, Pool, RepAccount, ServiceType, Stake,
};
pub use rpc::{Follow, RuntimeVersion};
pub use sign::signed_extrinsic;
pub use submit::{Included, NonceLease, Nonces};
