//! JSON-RPC methods of the SSK registry:
//!
//! - `ssk_latest(from, to, at?)`: the latest envelope from `from` to `to`, or `null`;
//! - `ssk_encryptionKey(who, at?)`: the current encryption key of `who`, or `null`.
//!
//! Accounts are SS58 strings, byte strings are `0x`-hex. Dapps using @polkadot/api declare these
//! methods with the definitions in `tests/lib/rpc-definitions.mjs`.

use std::{marker::PhantomData, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_ssk_runtime_api::{PostedEnvelope, PublishedKey};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;
use sp_runtime::traits::Block as BlockT;

pub use pallet_ssk_runtime_api::SskApi as SskRuntimeApi;

/// An envelope as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeJson<BlockNumber> {
	/// Cipher suite id.
	pub suite: u16,
	/// Epoch of the pair.
	pub epoch: u64,
	/// Version of the recipient's key it is sealed to.
	pub recipient_key_version: u32,
	/// Last block the SSK may be used at.
	pub expiry: Option<u32>,
	/// HPKE encapsulated key.
	pub enc: Bytes,
	/// HPKE ciphertext.
	pub ciphertext: Bytes,
	/// Block it was posted in.
	pub posted_at: BlockNumber,
}

impl<N> From<PostedEnvelope<N>> for EnvelopeJson<N> {
	fn from(p: PostedEnvelope<N>) -> Self {
		let header = p.envelope.header;
		Self {
			suite: header.suite,
			epoch: header.epoch,
			recipient_key_version: header.recipient_key_version,
			expiry: header.expiry,
			enc: p.envelope.enc.to_vec().into(),
			ciphertext: p.envelope.ciphertext.into(),
			posted_at: p.posted_at,
		}
	}
}

/// An encryption key as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyJson {
	/// Key version.
	pub version: u32,
	/// X25519 public key.
	pub key: Bytes,
}

impl From<PublishedKey> for KeyJson {
	fn from(k: PublishedKey) -> Self {
		Self { version: k.version, key: k.key.to_vec().into() }
	}
}

/// The SSK JSON-RPC interface.
#[rpc(client, server)]
pub trait SskApi<BlockHash, AccountId, BlockNumber> {
	/// The latest envelope from `from` to `to` at block `at` (default: best).
	#[method(name = "ssk_latest")]
	fn latest(
		&self,
		from: AccountId,
		to: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<EnvelopeJson<BlockNumber>>>;

	/// The current encryption key of `who` at block `at` (default: best).
	#[method(name = "ssk_encryptionKey")]
	fn encryption_key(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Option<KeyJson>>;
}

/// Serves [`SskApiServer`] from a client's runtime API.
pub struct Ssk<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Ssk<C, B> {
	/// The RPC handler over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

/// The error code of a failed runtime call.
const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "SSK runtime call failed", Some(e.to_string()))
}

impl<C, Block, AccountId, BlockNumber> SskApiServer<Block::Hash, AccountId, BlockNumber>
	for Ssk<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SskRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Send + Sync + 'static,
	BlockNumber: Codec + Serialize + Send + Sync + 'static,
{
	fn latest(
		&self,
		from: AccountId,
		to: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<EnvelopeJson<BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let posted = self.client.runtime_api().latest(at, from, to).map_err(runtime_error)?;
		Ok(posted.map(Into::into))
	}

	fn encryption_key(
		&self,
		who: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<KeyJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let key = self.client.runtime_api().encryption_key(at, who).map_err(runtime_error)?;
		Ok(key.map(Into::into))
	}
}
