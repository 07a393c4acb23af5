//! # SSK pallet
//!
//! A registry of Sustainable Symmetric Keys (SSK): account A seals a symmetric key `K_S` to
//! account B once, on chain; from then on A and B secure all their traffic with `K_S`, on chain or
//! off, without another asymmetric handshake. To rotate, A posts again; B always takes the latest.
//!
//! ## Overview
//!
//! - Every account that wants to receive (or send) SSKs publishes an X25519 **encryption key**
//!   with [`Pallet::publish_key`]. Publishing again rotates it; the version grows by one. A
//!   deposit is held while the key is stored.
//! - A posts an **envelope** to B with [`Pallet::post_envelope`]: `K_S` sealed by RFC 9180 HPKE in
//!   Auth mode to B's current key, whose `info` binds the genesis hash, A, B and the epoch (see
//!   [`gpow_primitives_ssk`]). The clear header says the suite, the epoch (strictly increasing
//!   per (A, B)), the version of B's key it is sealed to, and an optional expiry block. The chain
//!   keeps only the latest envelope per (A, B) and holds a deposit for its bytes.
//! - A removes its envelope to B with [`Pallet::revoke`]; the deposit is released.
//!
//! The chain cannot open envelopes; it checks what it can (suite, sizes, key version, epoch,
//! expiry) so that B never has to consider a stale or replayed envelope. Off-chain parties use the
//! `gpow-client-ssk` library and the `ssk_latest` / `ssk_encryptionKey` JSON-RPC methods.
//!
//! ## Terms
//!
//! - **Epoch**: the envelope's sequence number for its (A, B) pair. A new envelope must carry a
//!   higher epoch than the one it replaces. After a revocation the pair starts afresh.
//! - **Recipient key version**: the version of B's encryption key the envelope is sealed to; it
//!   must be B's current version, so A never seals to a key B has rotated away.
//!
//! ## Example
//!
//! ```ignore
//! // B publishes its key; A publishes its own (Auth mode authenticates A's key).
//! Ssk::publish_key(RuntimeOrigin::signed(bob), bob_x25519_public)?;
//! Ssk::publish_key(RuntimeOrigin::signed(alice), alice_x25519_public)?;
//! // A seals K_S off chain with gpow-client-ssk, then posts the envelope.
//! let header = EnvelopeHeader { suite: 1, epoch: 1, recipient_key_version: 1, expiry: None };
//! Ssk::post_envelope(RuntimeOrigin::signed(alice), bob, header, enc, ciphertext)?;
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::{EnvelopeRecord, KeyRecord};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{Consideration, Footprint},
};
use frame_system::pallet_prelude::*;
use gpow_primitives_ssk::{
	EncapsulatedKey, EncryptionPublicKey, Envelope, EnvelopeHeader, PostedEnvelope, PublishedKey,
	SUPPORTED_SUITES,
};

/// The stored ciphertext of an envelope.
pub type CiphertextOf<T> = BoundedVec<u8, <T as Config>::MaxCiphertextLen>;
/// The stored record of an envelope.
pub type EnvelopeRecordOf<T> =
	EnvelopeRecord<CiphertextOf<T>, BlockNumberFor<T>, <T as Config>::EnvelopeConsideration>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the SSK pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The deposit held for a stored encryption key.
		type KeyConsideration: Consideration<Self::AccountId, Footprint>;

		/// The deposit held for a stored envelope, by its encoded size.
		type EnvelopeConsideration: Consideration<Self::AccountId, Footprint>;

		/// The largest envelope ciphertext accepted, in bytes.
		#[pallet::constant]
		type MaxCiphertextLen: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a published encryption key.
		EncryptionKey,
		/// The deposit of a posted envelope.
		Envelope,
	}

	/// Each account's current encryption key.
	#[pallet::storage]
	pub type EncryptionKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, KeyRecord<T::KeyConsideration>>;

	/// The latest envelope from an account (first key) to another (second key).
	#[pallet::storage]
	pub type Envelopes<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		EnvelopeRecordOf<T>,
	>;

	/// Events of the SSK pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account published (or rotated) its encryption key.
		KeyPublished {
			/// The account.
			who: T::AccountId,
			/// The new version.
			version: u32,
			/// The X25519 public key.
			key: EncryptionPublicKey,
		},
		/// An SSK envelope was posted; it replaces any earlier one of the pair.
		EnvelopePosted {
			/// The sender.
			from: T::AccountId,
			/// The receiver.
			to: T::AccountId,
			/// The envelope's epoch.
			epoch: u64,
		},
		/// The sender removed its envelope to the receiver.
		EnvelopeRevoked {
			/// The sender.
			from: T::AccountId,
			/// The receiver.
			to: T::AccountId,
			/// The epoch of the removed envelope.
			epoch: u64,
		},
	}

	/// Errors of the SSK pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The all-zero X25519 key cannot be used for key agreement.
		InvalidEncryptionKey,
		/// The key is already the account's current key.
		KeyUnchanged,
		/// The key version would overflow.
		KeyVersionOverflow,
		/// The recipient has not published an encryption key.
		RecipientHasNoEncryptionKey,
		/// The sender has not published an encryption key (Auth mode needs it).
		SenderHasNoEncryptionKey,
		/// The envelope is sealed to a version of the recipient's key that is not current.
		StaleRecipientKey,
		/// The epoch is not higher than the epoch of the envelope it would replace.
		EpochNotIncreasing,
		/// The ciphertext is longer than `MaxCiphertextLen`.
		EnvelopeTooLarge,
		/// The ciphertext is empty.
		EmptyCiphertext,
		/// The suite id is not one the chain supports.
		UnsupportedSuite,
		/// The expiry block is not in the future.
		ExpiryInPast,
		/// There is no envelope from the sender to this receiver.
		NoEnvelope,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes the caller's X25519 encryption key, or rotates it: the version becomes one
		/// more than the current one (1 for the first key). Holds the key deposit on the first
		/// publication.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::publish_key())]
		pub fn publish_key(origin: OriginFor<T>, key: EncryptionPublicKey) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(key != [0u8; 32], Error::<T>::InvalidEncryptionKey);
			let footprint = Footprint::from_parts(1, KeyRecord::<()>::max_encoded_len());
			let record = match EncryptionKeys::<T>::get(&who) {
				Some(old) => {
					ensure!(old.key != key, Error::<T>::KeyUnchanged);
					let version =
						old.version.checked_add(1).ok_or(Error::<T>::KeyVersionOverflow)?;
					KeyRecord { version, key, ticket: old.ticket }
				},
				None => KeyRecord {
					version: 1,
					key,
					ticket: T::KeyConsideration::new(&who, footprint)?,
				},
			};
			let version = record.version;
			EncryptionKeys::<T>::insert(&who, record);
			Self::deposit_event(Event::KeyPublished { who, version, key });
			Ok(())
		}

		/// Posts an SSK envelope from the caller to `to`, replacing the pair's previous one.
		///
		/// Checks, in order: the suite, the ciphertext size, both parties' keys, the recipient key
		/// version, the epoch and the expiry. Holds a deposit for the envelope's bytes (adjusted
		/// when it replaces one).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::post_envelope(ciphertext.len() as u32))]
		pub fn post_envelope(
			origin: OriginFor<T>,
			to: T::AccountId,
			header: EnvelopeHeader,
			enc: EncapsulatedKey,
			ciphertext: Vec<u8>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			ensure!(SUPPORTED_SUITES.contains(&header.suite), Error::<T>::UnsupportedSuite);
			ensure!(!ciphertext.is_empty(), Error::<T>::EmptyCiphertext);
			let ciphertext: CiphertextOf<T> =
				ciphertext.try_into().map_err(|_| Error::<T>::EnvelopeTooLarge)?;
			ensure!(EncryptionKeys::<T>::contains_key(&from), Error::<T>::SenderHasNoEncryptionKey);
			let recipient_key =
				EncryptionKeys::<T>::get(&to).ok_or(Error::<T>::RecipientHasNoEncryptionKey)?;
			ensure!(
				header.recipient_key_version == recipient_key.version,
				Error::<T>::StaleRecipientKey
			);
			let now = frame_system::Pallet::<T>::block_number();
			if let Some(expiry) = header.expiry {
				ensure!(BlockNumberFor::<T>::from(expiry) > now, Error::<T>::ExpiryInPast);
			}

			let envelope = Envelope { header, enc, ciphertext };
			let footprint = Footprint::from_encodable(&envelope);
			let ticket = match Envelopes::<T>::get(&from, &to) {
				Some(old) => {
					ensure!(
						header.epoch > old.envelope.header.epoch,
						Error::<T>::EpochNotIncreasing
					);
					old.ticket.update(&from, footprint)?
				},
				None => T::EnvelopeConsideration::new(&from, footprint)?,
			};
			Envelopes::<T>::insert(&from, &to, EnvelopeRecord { envelope, posted_at: now, ticket });
			Self::deposit_event(Event::EnvelopePosted { from, to, epoch: header.epoch });
			Ok(())
		}

		/// Removes the caller's envelope to `to` and releases its deposit.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn revoke(origin: OriginFor<T>, to: T::AccountId) -> DispatchResult {
			let from = ensure_signed(origin)?;
			let record = Envelopes::<T>::get(&from, &to).ok_or(Error::<T>::NoEnvelope)?;
			record.ticket.drop(&from)?;
			Envelopes::<T>::remove(&from, &to);
			let epoch = record.envelope.header.epoch;
			Self::deposit_event(Event::EnvelopeRevoked { from, to, epoch });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The current encryption key of `who`, for the runtime API.
	pub fn encryption_key(who: &T::AccountId) -> Option<PublishedKey> {
		EncryptionKeys::<T>::get(who).map(|r| PublishedKey { version: r.version, key: r.key })
	}

	/// The latest envelope from `from` to `to`, for the runtime API.
	pub fn latest(
		from: &T::AccountId,
		to: &T::AccountId,
	) -> Option<PostedEnvelope<BlockNumberFor<T>>> {
		Envelopes::<T>::get(from, to).map(|r| PostedEnvelope {
			envelope: Envelope {
				header: r.envelope.header,
				enc: r.envelope.enc,
				ciphertext: r.envelope.ciphertext.into_inner(),
			},
			posted_at: r.posted_at,
		})
	}
}
