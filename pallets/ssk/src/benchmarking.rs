//! Benchmarks of the SSK pallet (frame-benchmarking v2): every call in its worst case.

use super::*;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use gpow_primitives_ssk::SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305 as SUITE;

/// An account with its deposits made affordable and an encryption key published.
fn keyed_account<T: Config>(name: &'static str, key: u8) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::KeyConsideration::ensure_successful(
		&who,
		Footprint::from_parts(1, KeyRecord::<()>::max_encoded_len()),
	);
	T::EnvelopeConsideration::ensure_successful(
		&who,
		Footprint::from_parts(1, T::MaxCiphertextLen::get() as usize + 64),
	);
	Pallet::<T>::publish_key(RawOrigin::Signed(who.clone()).into(), [key; 32])
		.expect("benchmark setup: key is valid");
	who
}

fn header(epoch: u64) -> EnvelopeHeader {
	EnvelopeHeader { suite: SUITE, epoch, recipient_key_version: 1, expiry: None }
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Rotating a key (the first publication also creates the deposit; both are measured
	/// through the worst case of reading and rewriting the record).
	#[benchmark]
	fn publish_key() {
		let who = keyed_account::<T>("who", 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), [2u8; 32]);

		assert_eq!(EncryptionKeys::<T>::get(&who).map(|r| r.version), Some(2));
	}

	/// Replacing an envelope (the deposit is updated) with `c` bytes of ciphertext.
	#[benchmark]
	fn post_envelope(c: Linear<1, { T::MaxCiphertextLen::get() }>) {
		let from = keyed_account::<T>("from", 1);
		let to = keyed_account::<T>("to", 2);
		Pallet::<T>::post_envelope(
			RawOrigin::Signed(from.clone()).into(),
			to.clone(),
			header(1),
			[3u8; 32],
			alloc::vec![0u8; 1],
		)
		.expect("benchmark setup: first envelope is valid");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(from.clone()),
			to.clone(),
			header(2),
			[4u8; 32],
			alloc::vec![7u8; c as usize],
		);

		assert_eq!(Envelopes::<T>::get(&from, &to).map(|r| r.envelope.header.epoch), Some(2));
	}

	#[benchmark]
	fn revoke() {
		let from = keyed_account::<T>("from", 1);
		let to = keyed_account::<T>("to", 2);
		Pallet::<T>::post_envelope(
			RawOrigin::Signed(from.clone()).into(),
			to.clone(),
			header(1),
			[3u8; 32],
			alloc::vec![0u8; T::MaxCiphertextLen::get() as usize],
		)
		.expect("benchmark setup: envelope is valid");

		#[extrinsic_call]
		_(RawOrigin::Signed(from.clone()), to.clone());

		assert!(Envelopes::<T>::get(&from, &to).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
