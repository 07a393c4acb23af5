//! # GPoW runtime
//!
//! The state transition function of the GPoW chain: FRAME pallets composed into one runtime and
//! compiled to Wasm (wasm32v1-none) by substrate-wasm-builder. The node (`gpow-node`) hosts the
//! Wasm and mines blocks by proof of work; this runtime retargets the difficulty
//! (`pallet-difficulty`, served to the node through `sp_consensus_pow::DifficultyApi`) and pays the
//! block reward and fees to the miner named in each block's PoW pre-runtime digest
//! (`pallet-rewards`).
//!
//! - [`configs`]: the configuration of every pallet.
//! - [`apis`]: the runtime APIs the node and dapps call.
//! - [`genesis_config_presets`]: the `development`, `local_testnet` and `live` genesis presets.
//! - [`governance`]: the governance tracks, their allow-lists and origins, and the governed
//!   runtime parameters.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` generate large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// The upgrade-rehearsal runtime (this runtime with the next spec version), for tests of
/// runtime upgrades.
#[cfg(feature = "std")]
pub mod upgrade_rehearsal {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary_upgrade_rehearsal.rs"));
}

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;
pub mod weights;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know about blocks without knowing the runtime's types.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

/// The runtime version. Bump `spec_version` for every change of behaviour.
#[cfg(not(feature = "upgrade-rehearsal"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("gpow"),
	impl_name: alloc::borrow::Cow::Borrowed("gpow"),
	authoring_version: 1,
	spec_version: 104,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	// 3: `CheckMetadataHash` joined the transaction extensions.
	transaction_version: 3,
	system_version: 1,
};

/// The upgrade-rehearsal build (feature `upgrade-rehearsal`): this runtime with the next spec
/// version, so a governance-voted upgrade can be tested on a live node with real code. It is
/// built as a second Wasm blob (`WASM_BINARY_UPGRADE_REHEARSAL`), never run natively.
#[cfg(feature = "upgrade-rehearsal")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("gpow"),
	impl_name: alloc::borrow::Cow::Borrowed("gpow-upgrade-rehearsal"),
	authoring_version: 1,
	spec_version: 105,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// The token symbol shown by wallets (chain property `tokenSymbol`, and in the metadata hash).
pub const TOKEN_SYMBOL: &str = "GPOW";
/// Decimals of the token (chain property `tokenDecimals`, and in the metadata hash).
pub const TOKEN_DECIMALS: u8 = 12;
/// The SS58 address format of the chain (chain property `ss58Format`).
pub const SS58_PREFIX: u16 = 42;

/// One GPOW.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a GPOW.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a GPOW.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;
/// Minted to the miner of every block.
pub const BLOCK_REWARD: Balance = 10 * UNIT;

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;
/// An account identifier: the public key of the signing scheme, 32 bytes.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Index of a transaction in the chain.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// An index to a block.
pub type BlockNumber = u32;
/// The PoW difficulty: expected hashes per block.
pub type PowDifficulty = sp_core::U256;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The extensions checked and applied for every signed transaction.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckWeight<Runtime>,
	// `CheckNonce` and `ChargeTransactionPayment`, listed under those names in the metadata; a
	// `WorkPayment.with_work` call pays by its work seal instead of the fee.
	pallet_work_payment::WorkOrFee<Runtime>,
	// RFC-0078: a signer that verifies metadata (the Ledger generic app) signs the metadata hash
	// (mode 1); others send mode 0 and sign nothing more.
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The [`TxExtension`] of a general transaction (extrinsic v5, no signature) whose call authorizes
/// itself with `#[pallet::authorize]` (`powAttest.attest`): `AuthorizeCall` runs the call's
/// authorization and gives it the `Authorized` origin; the other extensions carry neutral values
/// (immortal, nonce 0, no tip, no metadata hash) and do nothing for an unsigned origin. The node
/// submits the gate's attestations with it (`node/src/attest.rs`).
pub fn authorized_tx_extension() -> TxExtension {
	immortal_tx_extension(0, 0)
}

/// The [`TxExtension`] of an immortal transaction with `nonce` and `tip`, in mode 0 of
/// `CheckMetadataHash` (no metadata hash signed): what a native signer (a test, a tool) builds.
pub fn immortal_tx_extension(nonce: Nonce, tip: Balance) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(generic::Era::Immortal),
		frame_system::CheckWeight::new(),
		pallet_work_payment::WorkOrFee::new(nonce, tip),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run at the next runtime upgrade.
#[allow(unused_parens)]
type Migrations = ();

/// Executive: handles dispatch to the various modules.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	/// The GPoW runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Accounts, blocks, events.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// The block timestamp; feeds the difficulty retarget.
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// The GPOW token.
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// A superuser key for the dev and local chains; no key on the live chain.
	#[runtime::pallet_index(4)]
	pub type Sudo = pallet_sudo;

	/// PoW difficulty retargeting.
	#[runtime::pallet_index(5)]
	pub type Difficulty = pallet_difficulty;

	/// Block reward and fees to the miner.
	#[runtime::pallet_index(6)]
	pub type Rewards = pallet_rewards;

	/// Sustainable Symmetric Keys: encryption keys and sealed SSK envelopes.
	#[runtime::pallet_index(7)]
	pub type Ssk = pallet_ssk;

	/// The reputation layer: REP ledger, forum, validation pools and panel pools.
	#[runtime::pallet_index(8)]
	pub type Reputation = pallet_reputation;

	/// Keep-alive work attestations of the PoW connection gate.
	#[runtime::pallet_index(9)]
	pub type PowAttest = pallet_pow_attest;

	/// The service market: service types, offers, negotiated instances, escrow, evaluation by
	/// panel pools and compensation.
	#[runtime::pallet_index(10)]
	pub type Services = pallet_services;

	/// Calls kept by hash for governance proposals.
	#[runtime::pallet_index(11)]
	pub type Preimage = pallet_preimage;

	/// Dispatches passed governance proposals at their enactment block.
	#[runtime::pallet_index(12)]
	pub type Scheduler = pallet_scheduler;

	/// Batches of calls (governance proposals may batch allowed calls).
	#[runtime::pallet_index(13)]
	pub type Utility = pallet_utility;

	/// Governed runtime parameters: block reward, storage deposits, attestation effort,
	/// minimum difficulty.
	#[runtime::pallet_index(14)]
	pub type Parameters = pallet_parameters;

	/// Governance by reputation: proposals voted by validation pools, enacted through tracks.
	#[runtime::pallet_index(15)]
	pub type Governance = pallet_governance;

	/// Transactions paid by proof of work instead of a fee (the `WorkOrFee` extension).
	#[runtime::pallet_index(16)]
	pub type WorkPayment = pallet_work_payment;
}
