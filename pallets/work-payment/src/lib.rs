//! # Work Payment Pallet
//!
//! Transactions paid by proof of work instead of a fee (seed 002, "work as payment").
//!
//! ## Overview
//!
//! A signed transaction pays its fee as on any Substrate chain. With this pallet it may instead
//! wrap its call in [`Call::with_work`], carrying a [`WorkSeal`]: an anchor block and a nonce
//! whose proof of work over the transaction's pre-image meets the effort the call requires. The
//! transaction extension [`WorkOrFee`] (which wraps `CheckNonce` and `ChargeTransactionPayment`
//! and keeps their names and encoding, so every wallet signs as before) then checks the seal and
//! charges no fee. An account **with no balance at all** can send allowed calls this way: a REP
//! holder who holds no GPOW can stake in pools, settle them and claim.
//!
//! Why the seal is in a call and not in an extension of its own: a new extension with data
//! breaks every client that does not know it (polkadot.js Apps, polkadot-api, subxt and
//! hardware wallets treat unknown extensions as empty), while a call is described by the
//! metadata and every client can build it.
//!
//! ## Terms
//!
//! - **Pre-image**: 32 bytes binding the genesis hash, the anchor block's hash, the signer, the
//!   transaction nonce and the inner call ([`pricing::pre_image`]).
//! - **Effort**: expected hashes, as in `gpow-primitives-pow`: a nonce proves
//!   `U256::MAX / blake2_256(pre_image ++ nonce_le)`.
//! - **Required effort**: `multiplier × (base + per_byte × len(call) + per_µs × weight(call))`
//!   under the governed [`WorkTerms`] ([`pricing::required_effort`]).
//! - **Multiplier**: raised after a block whose work-paid transactions filled more than
//!   [`Config::TargetFullness`] of their share (by weight, or by count of
//!   [`Config::MaxWorkPerBlock`], whichever is fuller), lowered otherwise, within
//!   `[1, Config::MaxMultiplier]` ([`pricing::next_multiplier`]).
//! - **Share**: work-paid transactions together use at most [`WorkTerms::block_share`] of a
//!   block's normal-class weight (at most [`Config::MaxBlockShare`]).
//! - **Priority**: below that of a fee-paying transaction of the same size with no tip, rising
//!   with the work shown up to [`Config::MaxPriorityRatio`] times the required
//!   ([`pricing::priority`]). Work never crowds out fees.
//! - **Used proofs**: a pre-image is accepted once; it is remembered for
//!   `AnchorWindow + 1` blocks after its inclusion (by then its anchor is too old anyway).
//!
//! ## Checks, cheapest first
//!
//! In the pool and again in the block, before any storage the call itself would touch: the
//! transaction length, the tip, the allow-list (one read of the terms), the anchor (one read of
//! its hash), one work hash over the pre-image, the used-proof set, the block's share and the
//! nonce. Refusals are `InvalidTransaction::Custom(code)` with the codes of [`WorkRefusal`]
//! (64 to 71); a full share is `ExhaustsResources` (the transaction waits for a later block).
//!
//! ## Example
//!
//! ```ignore
//! // 1. Ask the chain for the pre-image and the required effort (runtime API or node RPC).
//! let quote = WorkPayment::quote(&who, nonce, &call)?;
//! // 2. Mine: find a nonce whose effort meets it.
//! let nonce = (0u64..).find(|n| nonce_effort(&quote.pre_image, *n) >= quote.required_effort.into());
//! // 3. Sign and send `WorkPayment::with_work { seal: WorkSeal { anchor: quote.anchor, nonce }, call }`
//! //    with tip 0: it is included with no fee.
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod extension;
pub mod pricing;
mod types;
pub mod weights;

pub use extension::WorkOrFee;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use alloc::boxed::Box;
use codec::Encode;
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{IsSubType, PalletInfoAccess},
};
use frame_system::pallet_prelude::*;
use sp_runtime::{
	traits::{Dispatchable, One, Saturating, Zero},
	FixedU128, Perbill,
};

/// The terms type of a runtime.
pub type TermsOf<T> = WorkTerms<<T as Config>::MaxAllowedCalls>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the work-payment pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_transaction_payment::Config {
		/// The calls a work-paid transaction wraps.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as frame_system::Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<Call<Self>>
			+ IsSubType<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;

		/// Who sets the terms (governance's `parameters` track, or Root).
		type AdminOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;

		/// How many blocks old an anchor may be. Below `BlockHashCount`, so the anchor's hash is
		/// always still stored.
		#[pallet::constant]
		type AnchorWindow: Get<BlockNumberFor<Self>>;

		/// The longest work-paid transaction, in bytes (checked first, before anything else).
		#[pallet::constant]
		type MaxWorkTxLength: Get<u32>;

		/// The most work-paid transactions one block holds (bounds the used-proof set).
		#[pallet::constant]
		type MaxWorkPerBlock: Get<u32>;

		/// The longest allow-list.
		#[pallet::constant]
		type MaxAllowedCalls: Get<u32>;

		/// The largest share of a block governance may give work-paid transactions.
		#[pallet::constant]
		type MaxBlockShare: Get<Perbill>;

		/// The lowest base effort governance may set.
		#[pallet::constant]
		type MinBaseEffort: Get<u64>;

		/// The multiplier's ceiling.
		#[pallet::constant]
		type MaxMultiplier: Get<FixedU128>;

		/// The share fullness the multiplier steers toward.
		#[pallet::constant]
		type TargetFullness: Get<Perbill>;

		/// How strongly one block moves the multiplier: it changes by
		/// `Adjustment × (fullness − TargetFullness)` of itself.
		#[pallet::constant]
		type Adjustment: Get<Perbill>;

		/// Work beyond this many times the required effort earns no more priority.
		#[pallet::constant]
		type MaxPriorityRatio: Get<u32>;

		/// Weights of this pallet's calls, hooks and extension.
		type WeightInfo: WeightInfo;
	}

	/// The terms of work payment: efforts, block share and allow-list.
	#[pallet::storage]
	pub type Terms<T: Config> = StorageValue<_, TermsOf<T>, ValueQuery>;

	/// The current multiplier of the required effort (at least 1).
	#[pallet::storage]
	pub type Multiplier<T: Config> = StorageValue<_, FixedU128, ValueQuery, OneMultiplier>;

	/// The default multiplier: 1.
	#[pallet::type_value]
	pub fn OneMultiplier() -> FixedU128 {
		FixedU128::one()
	}

	/// The work-paid weight and count of the block being built (cleared when it ends).
	#[pallet::storage]
	pub type Usage<T: Config> = StorageValue<_, BlockUsage, ValueQuery>;

	/// Pre-images already paid with, and the block that included each.
	#[pallet::storage]
	pub type UsedProofs<T: Config> = StorageMap<_, Identity, [u8; 32], BlockNumberFor<T>>;

	/// The pre-images each block included, to forget them `AnchorWindow + 1` blocks later.
	#[pallet::storage]
	pub type ProofsByBlock<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<[u8; 32], T::MaxWorkPerBlock>,
		ValueQuery,
	>;

	/// The terms at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial terms (checked as [`Pallet::set_terms`] checks them).
		pub terms: TermsOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let terms = Pallet::<T>::checked_terms(self.terms.clone())
				.expect("pallet-work-payment genesis: invalid terms");
			Terms::<T>::put(terms);
		}
	}

	/// Events of the work-payment pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A transaction was paid by work instead of a fee.
		PaidByWork {
			/// The signer.
			who: T::AccountId,
			/// The effort the call required.
			required: u128,
			/// The effort the seal proved (capped at `u128::MAX`).
			achieved: u128,
		},
		/// New terms are in effect.
		TermsSet {
			/// The terms.
			terms: TermsOf<T>,
		},
	}

	/// Errors of the work-payment pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The base effort is below `MinBaseEffort`.
		BaseEffortTooLow,
		/// The block share is above `MaxBlockShare`.
		ShareTooLarge,
		/// The allow-list is not sorted or lists a call twice.
		AllowListNotSorted,
		/// The allow-list names `with_work` itself.
		WithWorkNotAllowed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Forgets the proofs included `AnchorWindow + 1` blocks ago; accounts for
		/// `on_finalize`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let forget_at = now.saturating_sub(T::AnchorWindow::get()).saturating_sub(One::one());
			let forgotten = if forget_at.is_zero() {
				0
			} else {
				let proofs = ProofsByBlock::<T>::take(forget_at);
				for proof in &proofs {
					UsedProofs::<T>::remove(proof);
				}
				proofs.len() as u32
			};
			<T as Config>::WeightInfo::on_initialize(forgotten)
				.saturating_add(<T as Config>::WeightInfo::on_finalize())
		}

		/// Moves the multiplier by how full the block's work share was.
		fn on_finalize(_now: BlockNumberFor<T>) {
			let usage = Usage::<T>::take();
			let limit = Self::share_limit(&Terms::<T>::get());
			let fullness =
				pricing::fullness(usage.ref_time, limit, usage.count, T::MaxWorkPerBlock::get());
			Multiplier::<T>::mutate(|m| {
				*m = pricing::next_multiplier(
					*m,
					fullness,
					T::TargetFullness::get(),
					T::Adjustment::get(),
					T::MaxMultiplier::get(),
				)
			});
		}

		fn integrity_test() {
			assert!(
				T::AnchorWindow::get() < T::BlockHashCount::get(),
				"AnchorWindow must be below BlockHashCount so anchors' hashes are stored"
			);
			assert!(T::MaxBlockShare::get() <= Perbill::from_percent(100));
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatches `call` as the signer, paid by the work in `seal` instead of a fee.
		///
		/// The [`WorkOrFee`] extension checks the seal before dispatch (a transaction without
		/// it is refused by the pool). Dispatched any other way (e.g. inside a batch that paid
		/// its fee), it just dispatches `call`.
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(
				<T as Config>::WeightInfo::with_work().saturating_add(info.call_weight),
				info.class,
				Pays::No,
			)
		})]
		pub fn with_work(
			origin: OriginFor<T>,
			seal: WorkSeal<BlockNumberFor<T>>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			let _ = seal;
			ensure_signed(origin.clone())?;
			let info = call.get_dispatch_info();
			let result = call.dispatch(origin);
			let inner = match &result {
				Ok(post) => post.actual_weight,
				Err(err) => err.post_info.actual_weight,
			}
			.unwrap_or(info.call_weight);
			let actual = Some(<T as Config>::WeightInfo::with_work().saturating_add(inner));
			match result {
				Ok(_) => Ok(PostDispatchInfo { actual_weight: actual, pays_fee: Pays::No }),
				Err(err) => Err(sp_runtime::DispatchErrorWithPostInfo {
					post_info: PostDispatchInfo { actual_weight: actual, pays_fee: Pays::No },
					error: err.error,
				}),
			}
		}

		/// Sets the terms of work payment (governance's `parameters` track, or Root).
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::set_terms())]
		pub fn set_terms(origin: OriginFor<T>, terms: TermsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let terms = Self::checked_terms(terms)?;
			Terms::<T>::put(terms.clone());
			Self::deposit_event(Event::TermsSet { terms });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// `terms` if they are within the pallet's bounds.
	pub fn checked_terms(terms: TermsOf<T>) -> Result<TermsOf<T>, Error<T>> {
		ensure!(terms.base_effort >= T::MinBaseEffort::get(), Error::<T>::BaseEffortTooLow);
		ensure!(terms.block_share <= T::MaxBlockShare::get(), Error::<T>::ShareTooLarge);
		ensure!(
			terms.allowed_calls.windows(2).all(|pair| pair[0] < pair[1]),
			Error::<T>::AllowListNotSorted
		);
		// `with_work` is call 0 of this pallet.
		let with_work = [<Self as PalletInfoAccess>::index() as u8, 0];
		ensure!(!terms.allows(with_work), Error::<T>::WithWorkNotAllowed);
		Ok(terms)
	}

	/// The allow-list identity of an encoded call: its first two bytes (pallet and call index).
	pub fn call_id(encoded_call: &[u8]) -> CallId {
		[
			encoded_call.first().copied().unwrap_or(u8::MAX),
			encoded_call.get(1).copied().unwrap_or(u8::MAX),
		]
	}

	/// The `ref_time` work-paid transactions may use together in one block.
	pub fn share_limit(terms: &TermsOf<T>) -> u64 {
		let normal = <T as frame_system::Config>::BlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(<T as frame_system::Config>::BlockWeights::get().max_block);
		terms.block_share * normal.ref_time()
	}

	/// The effort `call` (`encoded_len` bytes encoded) requires now.
	pub fn required_effort_of(
		call: &<T as Config>::RuntimeCall,
		encoded_len: usize,
		terms: &TermsOf<T>,
	) -> u128 {
		pricing::required_effort(
			terms,
			Multiplier::<T>::get(),
			encoded_len,
			call.get_dispatch_info().call_weight.ref_time(),
		)
	}

	/// The pre-image of `who`'s transaction number `tx_nonce` of `encoded_call` on this chain,
	/// anchored at `anchor` (whose hash is `anchor_hash`).
	pub fn pre_image_of(
		anchor: BlockNumberFor<T>,
		anchor_hash: &T::Hash,
		who: &T::AccountId,
		tx_nonce: T::Nonce,
		encoded_call: &[u8],
	) -> [u8; 32] {
		pricing::pre_image(
			&frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero()),
			anchor,
			anchor_hash,
			who,
			tx_nonce,
			encoded_call,
		)
	}

	/// What `who` needs to pay `call` by work as its transaction number `tx_nonce`, anchored at
	/// the parent of the current block (the most recent block whose hash the state holds).
	/// Refused as the pool would refuse it: [`WorkRefusal::CallNotAllowed`], or
	/// [`WorkRefusal::AnchorStale`] at genesis (no anchor yet).
	pub fn quote(
		who: &T::AccountId,
		tx_nonce: T::Nonce,
		call: &<T as Config>::RuntimeCall,
	) -> Result<WorkQuote<BlockNumberFor<T>, T::Hash>, WorkRefusal> {
		let terms = Terms::<T>::get();
		let encoded = call.encode();
		if !terms.allows(Self::call_id(&encoded)) {
			return Err(WorkRefusal::CallNotAllowed);
		}
		let now = frame_system::Pallet::<T>::block_number();
		if now.is_zero() {
			return Err(WorkRefusal::AnchorStale);
		}
		let anchor = now.saturating_sub(One::one());
		let anchor_hash = frame_system::BlockHash::<T>::get(anchor);
		Ok(WorkQuote {
			anchor,
			anchor_hash,
			expires: anchor.saturating_add(T::AnchorWindow::get()),
			pre_image: Self::pre_image_of(anchor, &anchor_hash, who, tx_nonce, &encoded),
			required_effort: Self::required_effort_of(call, encoded.len(), &terms),
		})
	}

	/// Checks the pallet's invariants: every used proof is listed under the block that included
	/// it and that block is within the window; every listed proof is used; the multiplier is
	/// within its bounds.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		let oldest = now.saturating_sub(T::AnchorWindow::get()).saturating_sub(One::one());
		for (proof, included) in UsedProofs::<T>::iter() {
			ensure!(included >= oldest, "a used proof outlived its window");
			ensure!(
				ProofsByBlock::<T>::get(included).contains(&proof),
				"a used proof is not listed under its block"
			);
		}
		for (_, proofs) in ProofsByBlock::<T>::iter() {
			for proof in proofs {
				ensure!(UsedProofs::<T>::contains_key(proof), "a listed proof is not used");
			}
		}
		let m = Multiplier::<T>::get();
		ensure!(
			m >= FixedU128::one() && m <= T::MaxMultiplier::get().max(FixedU128::one()),
			"multiplier out of bounds"
		);
		Ok(())
	}
}
