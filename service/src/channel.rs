//! The SSK channel between a consumer and a provider: how a [`Delivery`] travels sealed.
//!
//! Each program has an X25519 encryption key, kept in its [`Store`] as the secret file
//! `ssk/x25519.key` and published on chain with `ssk.publishKey` ([`ensure_encryption_key`]).
//! The consumer seals a fresh SSK `K_S` to the provider's published key (HPKE Auth mode,
//! `gpow-client-ssk`) and posts the envelope with `ssk.postEnvelope`; from then on both sides
//! protect deliveries with a [`Session`] keyed by `K_S`: the consumer as the initiator (the
//! envelope's sender), the provider as the responder.
//!
//! - [`seal_delivery`] (consumer): reuses the latest envelope to the provider when the store has
//!   its `K_S` and both keys are still the published ones; otherwise posts a new envelope at the
//!   next epoch. It encrypts `SCALE(delivery)` and writes the session's state to the store
//!   *before* it returns the frame, so a counter is never used twice, even after a crash.
//! - [`open_delivery`] (provider): opens the consumer's latest envelope to it (the `K_S` is then
//!   kept in the store per consumer and epoch), decrypts with its session, writes the session's
//!   state after each accepted frame and decodes the [`Delivery`]. Anything that does not open
//!   (wrong key, tampered, replayed, another epoch) is [`ChannelError::NotSealed`].
//!
//! Store layout, every file secret (mode 0600): `ssk/x25519.key` (32 bytes), and per role
//! (`initiator`, `responder`), peer (hex account) and epoch, `ssk/<role>/<peer>/<epoch>.ssk`
//! (`K_S`, the envelope's `enc`, the sender's and the recipient's public keys: 128 bytes) and
//! `ssk/<role>/<peer>/<epoch>.state` ([`Session::export_state`]). A `.ssk` record is used only
//! for the envelope whose `enc` it names, so a record of an envelope that was never posted
//! (a crash between sealing and posting) is never taken for the one on chain.
//!
//! Sessions are read, used and written under one lock per process, so concurrent deliveries of
//! a provider never lose a counter. Two processes must not share a store ([`Store::open`] locks
//! it).

use std::sync::Mutex;

use codec::{Decode, Encode};
use gpow_client_ssk::{
	open, seal, Binding, ChainEnvelope, EncryptionKeyPair, Envelope, EnvelopeHeader,
	EnvelopeHeaderExt, Role, Session, Ssk, KEY_LEN, SSK_LEN,
};
use gpow_market_client::Chain;
use gpow_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use sp_core::{crypto::Ss58Codec, hexdisplay::HexDisplay, sr25519, Pair};

use crate::{
	endpoint::{Delivery, EndpointError},
	store::{Store, StoreError},
};

/// The store file of a program's X25519 secret key.
pub const KEY_FILE: &str = "ssk/x25519.key";

/// Why a delivery could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
	/// The consumer has posted no SSK envelope to the provider.
	#[error("no SSK envelope from the consumer to the provider on chain")]
	NoChannel,
	/// The peer has published no encryption key (`ssk.publishKey`).
	#[error("{} has published no encryption key", .0.to_ss58check())]
	NoPeerKey(AccountId),
	/// The envelope or the frame does not open: wrong key, tampered, replayed, another epoch.
	#[error("not sealed with the pair's SSK: {0}")]
	NotSealed(String),
	/// The frame opens, but what it holds is not a delivery.
	#[error("the sealed delivery does not decode: {0}")]
	Malformed(String),
	/// Sealing failed (the operating system's randomness, an exhausted counter).
	#[error("cannot seal: {0}")]
	Seal(gpow_client_ssk::Error),
	/// A call or read through the node failed.
	#[error(transparent)]
	Chain(#[from] gpow_market_client::Error),
	/// The state directory failed.
	#[error(transparent)]
	Store(#[from] StoreError),
}

impl From<&ChannelError> for EndpointError {
	fn from(error: &ChannelError) -> Self {
		match error {
			ChannelError::NoChannel => EndpointError::NoChannel,
			ChannelError::NotSealed(_) => EndpointError::NotSealed,
			ChannelError::Malformed(_) => EndpointError::Malformed,
			_ => EndpointError::Internal,
		}
	}
}

/// A result with a [`ChannelError`].
pub type ChannelResult<T> = Result<T, ChannelError>;

/// A program's encryption key pair and the version under which the chain holds its public key.
#[derive(Clone, Debug)]
pub struct ChannelKeys {
	pair: EncryptionKeyPair,
	version: u32,
}

impl ChannelKeys {
	/// The X25519 public key, as published.
	pub fn public(&self) -> [u8; KEY_LEN] {
		self.pair.public()
	}

	/// Its version on chain.
	pub fn version(&self) -> u32 {
		self.version
	}
}

/// The key pair kept in `store`, made (and kept) on first use.
fn stored_key_pair(store: &Store) -> ChannelResult<EncryptionKeyPair> {
	let secret = store.secret(KEY_FILE, || -> ChannelResult<[u8; KEY_LEN]> {
		Ok(*EncryptionKeyPair::generate().map_err(ChannelError::Seal)?.secret_bytes())
	})?;
	Ok(EncryptionKeyPair::from_secret_bytes(secret))
}

/// The encryption key in `store` (made on first use), published on chain for `signer`'s
/// account with `ssk.publishKey` unless the chain holds it already (a key of another version is
/// replaced).
pub async fn ensure_encryption_key(
	chain: &Chain,
	store: &Store,
	signer: &sr25519::Pair,
) -> ChannelResult<ChannelKeys> {
	let pair = stored_key_pair(store)?;
	let account = AccountId::from(signer.public());
	if let Some(record) = chain.encryption_key(&account, None).await? {
		if record.key == pair.public() {
			return Ok(ChannelKeys { pair, version: record.version });
		}
	}
	let call = RuntimeCall::Ssk(pallet_ssk::Call::publish_key { key: pair.public() });
	let included = chain.submit(signer, call).await?;
	let version = included
		.find(|event| match event {
			RuntimeEvent::Ssk(pallet_ssk::Event::KeyPublished { version, .. }) => Some(*version),
			_ => None,
		})
		.ok_or(gpow_market_client::Error::MissingEvent {
			block: included.block,
			event: "ssk.KeyPublished",
		})?;
	Ok(ChannelKeys { pair, version })
}

/// One side of a pair's channel at one epoch.
struct Link {
	binding: Binding,
	role: Role,
}

impl Link {
	/// The link of `sender` to `receiver` at `epoch` on the chain of `genesis`, seen as `role`.
	fn new(
		genesis: [u8; 32],
		sender: &AccountId,
		receiver: &AccountId,
		epoch: u64,
		role: Role,
	) -> Self {
		let binding =
			Binding { genesis, sender: *sender.as_ref(), receiver: *receiver.as_ref(), epoch };
		Link { binding, role }
	}

	/// The store name of this link's `extension` file.
	fn file(&self, extension: &str) -> String {
		let (role, peer) = match self.role {
			Role::Initiator => ("initiator", &self.binding.receiver),
			Role::Responder => ("responder", &self.binding.sender),
		};
		format!("ssk/{role}/{}/{}.{extension}", HexDisplay::from(peer), self.binding.epoch)
	}
}

/// What the store keeps of an opened or sealed envelope.
struct SskRecord {
	ssk: Ssk,
	enc: [u8; KEY_LEN],
	sender_key: [u8; KEY_LEN],
	recipient_key: [u8; KEY_LEN],
}

/// The length of an [`SskRecord`] in the store.
const RECORD_LEN: usize = SSK_LEN + 3 * KEY_LEN;

impl SskRecord {
	/// Keeps the record of a new envelope of `link`, and drops the session state of an older
	/// envelope of the same epoch (a pair starts again at epoch 1 after a revocation).
	fn save(&self, store: &Store, link: &Link) -> ChannelResult<()> {
		store.remove(&link.file("state"))?;
		let mut bytes = Vec::with_capacity(RECORD_LEN);
		bytes.extend_from_slice(self.ssk.as_bytes());
		bytes.extend_from_slice(&self.enc);
		bytes.extend_from_slice(&self.sender_key);
		bytes.extend_from_slice(&self.recipient_key);
		Ok(store.put_bytes(&link.file("ssk"), &bytes, true)?)
	}

	/// The record of `link`, if the store has one for the envelope whose `enc` is `enc`.
	fn load(store: &Store, link: &Link, enc: &[u8; KEY_LEN]) -> ChannelResult<Option<Self>> {
		let name = link.file("ssk");
		let Some(bytes) = store.get_bytes(&name)? else { return Ok(None) };
		let part = |i: usize| -> ChannelResult<[u8; KEY_LEN]> {
			bytes
				.get(i * KEY_LEN..(i + 1) * KEY_LEN)
				.filter(|_| bytes.len() == RECORD_LEN)
				.and_then(|part| part.try_into().ok())
				.ok_or_else(|| {
					StoreError::Corrupt {
						path: store.dir().join(&name),
						error: format!("{} bytes, not {RECORD_LEN}", bytes.len()),
					}
					.into()
				})
		};
		let record = SskRecord {
			ssk: Ssk::from_bytes(part(0)?),
			enc: part(1)?,
			sender_key: part(2)?,
			recipient_key: part(3)?,
		};
		Ok((&record.enc == enc).then_some(record))
	}
}

/// Serializes the sessions of this process: each is read, used and written under it.
static SESSIONS: Mutex<()> = Mutex::new(());

/// Runs `step` on the session of `link` (restored from the store, or new from `ssk`) and
/// writes the session's state back to the store before returning `step`'s output; a refused
/// step leaves the stored state as it was.
fn with_session<T>(
	store: &Store,
	link: &Link,
	ssk: &Ssk,
	step: impl FnOnce(&mut Session) -> Result<T, gpow_client_ssk::Error>,
) -> ChannelResult<Result<T, gpow_client_ssk::Error>> {
	let _turn = SESSIONS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let name = link.file("state");
	let mut session = match store.get_bytes(&name)? {
		Some(state) => Session::import_state(&state).map_err(|e| StoreError::Corrupt {
			path: store.dir().join(&name),
			error: e.to_string(),
		})?,
		None => Session::new(ssk, &link.binding, link.role).map_err(ChannelError::Seal)?,
	};
	let output = match step(&mut session) {
		Ok(output) => output,
		Err(e) => return Ok(Err(e)),
	};
	store.put_bytes(&name, &session.export_state(), true)?;
	Ok(Ok(output))
}

/// Seals `delivery` with the session of `link` keyed by `ssk`.
fn seal_frame(
	store: &Store,
	link: &Link,
	ssk: &Ssk,
	delivery: &Delivery,
) -> ChannelResult<Vec<u8>> {
	with_session(store, link, ssk, |session| session.encrypt(&delivery.encode()))?
		.map_err(ChannelError::Seal)
}

/// Opens `frame` with the session of `link` keyed by `ssk` and decodes the delivery in it.
fn open_frame(store: &Store, link: &Link, ssk: &Ssk, frame: &[u8]) -> ChannelResult<Delivery> {
	let plain = with_session(store, link, ssk, |session| session.decrypt(frame))?
		.map_err(|e| ChannelError::NotSealed(e.to_string()))?;
	Delivery::decode(&mut &plain[..])
		.ok()
		.filter(|delivery| delivery.encoded_size() == plain.len())
		.ok_or_else(|| ChannelError::Malformed("not a SCALE-encoded delivery".into()))
}

/// A new SSK for `link` sealed to `recipient_key` (version `version`), kept in the store.
fn new_envelope(
	store: &Store,
	keys: &ChannelKeys,
	link: &Link,
	recipient_key: &[u8; KEY_LEN],
	version: u32,
) -> ChannelResult<(Envelope, Ssk)> {
	let header = EnvelopeHeader::new(link.binding.epoch, version, None);
	let (envelope, ssk) =
		seal(&keys.pair, recipient_key, &link.binding, header).map_err(ChannelError::Seal)?;
	let record = SskRecord {
		ssk: ssk.clone(),
		enc: envelope.enc,
		sender_key: keys.public(),
		recipient_key: *recipient_key,
	};
	record.save(store, link)?;
	Ok((envelope, ssk))
}

/// The SSK of `envelope` for the responder of `link`, opened with `keys` and the sender's
/// published key `sender_key`, and kept in the store.
fn opened_envelope(
	store: &Store,
	keys: &ChannelKeys,
	link: &Link,
	sender_key: &[u8; KEY_LEN],
	envelope: &Envelope,
) -> ChannelResult<Ssk> {
	let version = envelope.header.recipient_key_version;
	if version != keys.version {
		return Err(ChannelError::NotSealed(format!(
			"the envelope is sealed to version {version} of our key, ours is version {}",
			keys.version
		)));
	}
	let ssk = open(&keys.pair, sender_key, &link.binding, envelope)
		.map_err(|e| ChannelError::NotSealed(e.to_string()))?;
	let record = SskRecord {
		ssk: ssk.clone(),
		enc: envelope.enc,
		sender_key: *sender_key,
		recipient_key: keys.public(),
	};
	record.save(store, link)?;
	Ok(ssk)
}

/// The latest envelope from `from` to `to` on chain, in the chain's form.
async fn latest_envelope(
	chain: &Chain,
	from: &AccountId,
	to: &AccountId,
) -> ChannelResult<Option<ChainEnvelope>> {
	let Some(record) = chain.envelope(from, to, None).await? else { return Ok(None) };
	Ok(Some(ChainEnvelope {
		header: record.envelope.header,
		enc: record.envelope.enc,
		ciphertext: record.envelope.ciphertext.into_inner(),
	}))
}

/// Seals `delivery` from `consumer` to `provider`: through the SSK of the latest envelope
/// between them if the store has it and both published keys are still the ones it was sealed
/// with, else through a new SSK posted at the next epoch with `ssk.postEnvelope`. The session's
/// state is in the store before the frame is returned.
pub async fn seal_delivery(
	chain: &Chain,
	store: &Store,
	consumer: &sr25519::Pair,
	keys: &ChannelKeys,
	provider: &AccountId,
	delivery: &Delivery,
) -> ChannelResult<Vec<u8>> {
	let consumer_id = AccountId::from(consumer.public());
	let peer = chain
		.encryption_key(provider, None)
		.await?
		.ok_or_else(|| ChannelError::NoPeerKey(provider.clone()))?;
	let genesis = chain.genesis_hash().0;
	let latest = latest_envelope(chain, &consumer_id, provider).await?;
	if let Some(envelope) = &latest {
		let epoch = envelope.header.epoch;
		let link = Link::new(genesis, &consumer_id, provider, epoch, Role::Initiator);
		if let Some(record) = SskRecord::load(store, &link, &envelope.enc)? {
			let current = record.sender_key == keys.public()
				&& record.recipient_key == peer.key
				&& envelope.header.recipient_key_version == peer.version;
			if current {
				return seal_frame(store, &link, &record.ssk, delivery);
			}
		}
	}
	// At `u64::MAX` the chain refuses the same epoch again (`ssk.EpochNotIncreasing`).
	let epoch = latest.map_or(1, |envelope| envelope.header.epoch.saturating_add(1));
	let link = Link::new(genesis, &consumer_id, provider, epoch, Role::Initiator);
	let (envelope, ssk) = new_envelope(store, keys, &link, &peer.key, peer.version)?;
	let call = pallet_ssk::Call::post_envelope {
		to: provider.clone(),
		header: envelope.header,
		enc: envelope.enc,
		ciphertext: envelope.ciphertext.to_vec(),
	};
	chain.submit(consumer, RuntimeCall::Ssk(call)).await?;
	seal_frame(store, &link, &ssk, delivery)
}

/// Opens `sealed`, a delivery from `consumer` to `provider` (this program, with `keys`), with
/// the SSK of the consumer's latest envelope to it; the session's state is in the store before
/// the delivery is returned.
pub async fn open_delivery(
	chain: &Chain,
	store: &Store,
	provider: &AccountId,
	keys: &ChannelKeys,
	consumer: &AccountId,
	sealed: &[u8],
) -> ChannelResult<Delivery> {
	let posted = latest_envelope(chain, consumer, provider)
		.await?
		.ok_or(ChannelError::NoChannel)?;
	let envelope =
		Envelope::try_from(posted).map_err(|e| ChannelError::NotSealed(e.to_string()))?;
	let genesis = chain.genesis_hash().0;
	let link = Link::new(genesis, consumer, provider, envelope.header.epoch, Role::Responder);
	let ssk = match SskRecord::load(store, &link, &envelope.enc)? {
		Some(record) => record.ssk,
		None => {
			let sender = chain
				.encryption_key(consumer, None)
				.await?
				.ok_or_else(|| ChannelError::NoPeerKey(consumer.clone()))?;
			opened_envelope(store, keys, &link, &sender.key, &envelope)?
		},
	};
	open_frame(store, &link, &ssk, sealed)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::path::PathBuf;

	const GENESIS: [u8; 32] = [7; 32];

	fn temp_store(name: &str) -> (PathBuf, Store) {
		let dir = std::env::temp_dir().join(format!("gpow-channel-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		let store = Store::open(&dir).unwrap();
		(dir, store)
	}

	fn keys(store: &Store) -> ChannelKeys {
		ChannelKeys { pair: stored_key_pair(store).unwrap(), version: 1 }
	}

	fn accounts() -> (AccountId, AccountId) {
		(AccountId::new([1; 32]), AccountId::new([2; 32]))
	}

	fn delivery(instance: u64) -> Delivery {
		Delivery { instance, definition: vec![1, 2, 3], blob: vec![9; 100] }
	}

	/// The consumer's and the provider's links at epoch 1, an envelope sealed by the consumer
	/// and opened by the provider, and the two SSKs.
	fn channel(consumer: &Store, provider: &Store) -> (Link, Link, Ssk, Ssk) {
		let (c, p) = accounts();
		let out = Link::new(GENESIS, &c, &p, 1, Role::Initiator);
		let into = Link::new(GENESIS, &c, &p, 1, Role::Responder);
		let (consumer_keys, provider_keys) = (keys(consumer), keys(provider));
		let (envelope, sealed) =
			new_envelope(consumer, &consumer_keys, &out, &provider_keys.public(), 1).unwrap();
		let opened =
			opened_envelope(provider, &provider_keys, &into, &consumer_keys.public(), &envelope)
				.unwrap();
		assert_eq!(sealed.as_bytes(), opened.as_bytes());
		assert!(SskRecord::load(provider, &into, &envelope.enc).unwrap().is_some());
		assert!(SskRecord::load(provider, &into, &[0; 32]).unwrap().is_none());
		(out, into, sealed, opened)
	}

	#[test]
	fn a_delivery_is_sealed_and_opened_once() {
		let ((cd, consumer), (pd, provider)) = (temp_store("c1"), temp_store("p1"));
		let (out, into, sealed, opened) = channel(&consumer, &provider);
		let frame = seal_frame(&consumer, &out, &sealed, &delivery(4)).unwrap();
		assert_eq!(open_frame(&provider, &into, &opened, &frame).unwrap(), delivery(4));
		let replayed = open_frame(&provider, &into, &opened, &frame).unwrap_err();
		assert!(matches!(&replayed, ChannelError::NotSealed(why) if why.contains("replayed")));
		assert_eq!(EndpointError::from(&replayed), EndpointError::NotSealed);

		// A tampered frame is refused and changes nothing: the next frame opens.
		let mut next = seal_frame(&consumer, &out, &sealed, &delivery(5)).unwrap();
		let last = next.len() - 1;
		next[last] ^= 1;
		assert!(matches!(
			open_frame(&provider, &into, &opened, &next),
			Err(ChannelError::NotSealed(_))
		));
		next[last] ^= 1;
		assert_eq!(open_frame(&provider, &into, &opened, &next).unwrap(), delivery(5));
		let _ = std::fs::remove_dir_all(cd);
		let _ = std::fs::remove_dir_all(pd);
	}

	#[test]
	fn sessions_survive_a_reopened_store() {
		let ((cd, consumer), (pd, provider)) = (temp_store("c2"), temp_store("p2"));
		let (out, into, sealed, _) = channel(&consumer, &provider);
		let (c_public, p_public) = (keys(&consumer).public(), keys(&provider).public());
		let first = seal_frame(&consumer, &out, &sealed, &delivery(1)).unwrap();
		drop((consumer, provider));

		// Both programs start again: the keys, the SSKs and the counters are where they were.
		let (consumer, provider) = (Store::open(&cd).unwrap(), Store::open(&pd).unwrap());
		assert_eq!((keys(&consumer).public(), keys(&provider).public()), (c_public, p_public));
		let record = |store: &Store, link: &Link| {
			let bytes = store.get_bytes(&link.file("ssk")).unwrap().unwrap();
			let enc: [u8; 32] = bytes[32..64].try_into().unwrap();
			SskRecord::load(store, link, &enc).unwrap().unwrap().ssk
		};
		let (sealed, opened) = (record(&consumer, &out), record(&provider, &into));
		let second = seal_frame(&consumer, &out, &sealed, &delivery(2)).unwrap();
		assert_eq!(second[9..17], 2u64.to_le_bytes(), "the counter goes on");
		assert_eq!(open_frame(&provider, &into, &opened, &first).unwrap(), delivery(1));
		assert_eq!(open_frame(&provider, &into, &opened, &second).unwrap(), delivery(2));
		drop(provider);
		let provider = Store::open(&pd).unwrap();
		assert!(matches!(
			open_frame(&provider, &into, &opened, &second),
			Err(ChannelError::NotSealed(_))
		));
		let _ = std::fs::remove_dir_all(cd);
		let _ = std::fs::remove_dir_all(pd);
	}

	#[test]
	fn an_envelope_for_another_key_does_not_open() {
		let ((cd, consumer), (pd, provider)) = (temp_store("c3"), temp_store("p3"));
		let (c, p) = accounts();
		let out = Link::new(GENESIS, &c, &p, 1, Role::Initiator);
		let into = Link::new(GENESIS, &c, &p, 1, Role::Responder);
		let consumer_keys = keys(&consumer);
		let stranger = EncryptionKeyPair::generate().unwrap();
		let (envelope, _) =
			new_envelope(&consumer, &consumer_keys, &out, &stranger.public(), 1).unwrap();
		let provider_keys = keys(&provider);
		let wrong =
			opened_envelope(&provider, &provider_keys, &into, &consumer_keys.public(), &envelope);
		assert!(matches!(wrong, Err(ChannelError::NotSealed(_))));
		let rotated = ChannelKeys { version: 2, ..provider_keys };
		let stale = opened_envelope(&provider, &rotated, &into, &consumer_keys.public(), &envelope);
		assert!(matches!(stale, Err(ChannelError::NotSealed(why)) if why.contains("version 1")));
		assert!(SskRecord::load(&provider, &into, &envelope.enc).unwrap().is_none());
		let _ = std::fs::remove_dir_all(cd);
		let _ = std::fs::remove_dir_all(pd);
	}

	#[test]
	fn a_frame_that_opens_but_is_no_delivery_is_malformed() {
		let ((cd, consumer), (pd, provider)) = (temp_store("c4"), temp_store("p4"));
		let (out, into, sealed, opened) = channel(&consumer, &provider);
		let frame =
			with_session(&consumer, &out, &sealed, |s| s.encrypt(b"\x01")).unwrap().unwrap();
		let error = open_frame(&provider, &into, &opened, &frame).unwrap_err();
		assert!(matches!(error, ChannelError::Malformed(_)));
		assert_eq!(EndpointError::from(&error), EndpointError::Malformed);
		assert_eq!(EndpointError::from(&ChannelError::NoChannel), EndpointError::NoChannel);
		let _ = std::fs::remove_dir_all(cd);
		let _ = std::fs::remove_dir_all(pd);
	}
}
