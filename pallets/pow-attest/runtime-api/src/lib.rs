//! Runtime API of the PoW attestations (`pallet-pow-attest`), served over JSON-RPC by
//! `pallet-pow-attest-rpc` and used by the node to decide what to submit.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
pub use pallet_pow_attest::{AttestedWork, GateId, RoundScore, WorkScore};

sp_api::decl_runtime_apis! {
	/// Reads of the PoW attestation pallet.
	pub trait PowAttestApi {
		/// The chain's current round: `floor(timestamp / RoundPeriod)` (the best block's
		/// timestamp).
		fn current_round() -> u64;
		/// The work `gate` attested in `round`: challenges and score, if it attested (and the
		/// round is not pruned yet).
		fn work_score(gate: GateId, round: u64) -> Option<AttestedWork>;
		/// Every gate's attested work in `round`, at most `MaxAttestationsPerRound` entries.
		fn scores(round: u64) -> Vec<RoundScore>;
		/// Whether `gate` is a registered gate identity.
		fn is_registered(gate: GateId) -> bool;
	}
}
