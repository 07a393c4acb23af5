//! Benchmarks of the work-payment pallet (frame-benchmarking v2).

use super::*;
use crate::extension::WorkOrFee;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{dispatch::DispatchInfo, traits::Hooks};
use frame_system::RawOrigin;
use gpow_primitives_pow::{nonce_effort, U256};
use sp_runtime::traits::{DispatchTransaction, Hash};

/// A `System.remark` of `len` bytes, as the runtime's call.
fn remark<T: Config>(len: usize) -> <T as Config>::RuntimeCall {
	let call: <T as frame_system::Config>::RuntimeCall =
		frame_system::Call::<T>::remark { remark: vec![1u8; len] }.into();
	<T as Config>::RuntimeCall::from_ref(&call).clone()
}

/// Terms that allow `System.remark` at the lowest base effort, with room for many work-paid
/// transactions.
fn remark_terms<T: Config>() -> TermsOf<T> {
	let mut allowed: Vec<CallId> = vec![Pallet::<T>::call_id(&remark::<T>(0).encode())];
	allowed.extend((0..T::MaxAllowedCalls::get().saturating_sub(1)).map(|i| [250, i as u8]));
	allowed.sort();
	allowed.dedup();
	WorkTerms {
		base_effort: T::MinBaseEffort::get(),
		effort_per_byte: 0,
		effort_per_micros: 0,
		block_share: T::MaxBlockShare::get(),
		allowed_calls: allowed.try_into().expect("at most MaxAllowedCalls"),
	}
}

/// Moves to block 2, so block 1 can anchor.
fn at_block_two<T: Config>() {
	let one: BlockNumberFor<T> = One::one();
	frame_system::Pallet::<T>::set_block_number(one + one);
	frame_system::BlockHash::<T>::insert(one, T::Hashing::hash(b"block one"));
	frame_system::BlockHash::<T>::insert(BlockNumberFor::<T>::zero(), T::Hashing::hash(b"genesis"));
}

#[benchmarks(where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T as frame_system::Config>::RuntimeOrigin:
		sp_runtime::traits::AsSystemOriginSigner<T::AccountId> + Clone,
)]
mod benchmarks {
	use super::*;

	/// `with_work` around an empty remark: the wrapper's own cost.
	#[benchmark]
	fn with_work() {
		let who: T::AccountId = whitelisted_caller();
		let seal = WorkSeal { anchor: Zero::zero(), nonce: 0 };
		#[extrinsic_call]
		_(RawOrigin::Signed(who), seal, alloc::boxed::Box::new(remark::<T>(0)));
	}

	/// The longest allow-list.
	#[benchmark]
	fn set_terms() {
		let terms = remark_terms::<T>();
		#[extrinsic_call]
		_(RawOrigin::Root, terms.clone());
		assert_eq!(Terms::<T>::get(), terms);
	}

	/// Forgetting `n` used proofs.
	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxWorkPerBlock::get() }>) {
		let included: BlockNumberFor<T> = One::one();
		let proofs: Vec<[u8; 32]> =
			(0..n).map(|i| sp_io::hashing::blake2_256(&i.to_le_bytes())).collect();
		for proof in &proofs {
			UsedProofs::<T>::insert(proof, included);
		}
		ProofsByBlock::<T>::insert(included, BoundedVec::truncate_from(proofs));
		let now = included.saturating_add(T::AnchorWindow::get()).saturating_add(One::one());
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(UsedProofs::<T>::iter().count(), 0);
	}

	/// Moving the multiplier after a full share.
	#[benchmark]
	fn on_finalize() {
		let terms = remark_terms::<T>();
		Usage::<T>::put(BlockUsage { ref_time: Pallet::<T>::share_limit(&terms), count: 1 });
		Terms::<T>::put(terms);
		#[block]
		{
			Pallet::<T>::on_finalize(One::one());
		}
		assert!(Multiplier::<T>::get() > FixedU128::one());
	}

	/// `WorkOrFee` checking and recording the seal of the longest work-paid transaction (its
	/// pre-image hashes the whole call), for an account that holds nothing.
	#[benchmark]
	fn work_seal() {
		at_block_two::<T>();
		Terms::<T>::put(remark_terms::<T>());
		let who: T::AccountId = account("worker", 0, 0);
		let inner = remark::<T>(T::MaxWorkTxLength::get().saturating_sub(256) as usize);
		let quote = Pallet::<T>::quote(&who, Zero::zero(), &inner).expect("remark is allowed");
		let nonce = (0u64..)
			.find(|n| nonce_effort(&quote.pre_image, *n) >= U256::from(quote.required_effort))
			.expect("an effort this low is found in a few thousand hashes");
		let seal = WorkSeal { anchor: quote.anchor, nonce };
		let call: <T as Config>::RuntimeCall =
			Call::<T>::with_work { seal, call: alloc::boxed::Box::new(inner) }.into();
		let call: <T as frame_system::Config>::RuntimeCall = call.into();
		let info = call.get_dispatch_info();
		let len = call.encoded_size() + 128;
		let ext = WorkOrFee::<T>::new(Zero::zero(), Zero::zero());
		#[block]
		{
			ext.test_run(RawOrigin::Signed(who.clone()).into(), &call, &info, len, 0, |_| {
				Ok(().into())
			})
			.expect("valid")
			.expect("dispatched");
		}
		assert_eq!(frame_system::Pallet::<T>::account_nonce(&who), One::one());
		assert_eq!(Usage::<T>::get().count, 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
