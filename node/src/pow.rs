//! GPoW's proof-of-work algorithm for sc-consensus-pow: the runtime says the difficulty, the
//! native verifier in `gpow-primitives-pow` checks the seal.

use std::{marker::PhantomData, sync::Arc};

use gpow_primitives_pow::check_seal;
use parking_lot::Mutex;
use sc_consensus_pow::{Error, PowAlgorithm};
use schnellru::{ByLength, LruMap};
use sp_api::ProvideRuntimeApi;
use sp_consensus_pow::{DifficultyApi, Seal as RawSeal};
use sp_core::{H256, U256};
use sp_runtime::{generic::BlockId, traits::Block as BlockT};

/// Log target of the PoW algorithm.
const LOG_TARGET: &str = "gpow";

/// How many parents' difficulties are cached (`difficulty` is called twice per import).
const DIFFICULTY_CACHE_SIZE: u32 = 256;

/// The GPoW algorithm: blake2-256 work with a linear difficulty check.
pub struct GpowAlgorithm<B: BlockT, C> {
	client: Arc<C>,
	cache: Arc<Mutex<LruMap<B::Hash, U256>>>,
	_block: PhantomData<B>,
}

impl<B: BlockT, C> GpowAlgorithm<B, C> {
	/// An algorithm that reads difficulties through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self {
			client,
			cache: Arc::new(Mutex::new(LruMap::new(ByLength::new(DIFFICULTY_CACHE_SIZE)))),
			_block: PhantomData,
		}
	}
}

impl<B: BlockT, C> Clone for GpowAlgorithm<B, C> {
	fn clone(&self) -> Self {
		Self { client: self.client.clone(), cache: self.cache.clone(), _block: PhantomData }
	}
}

impl<B, C> PowAlgorithm<B> for GpowAlgorithm<B, C>
where
	B: BlockT<Hash = H256>,
	C: ProvideRuntimeApi<B>,
	C::Api: DifficultyApi<B, U256>,
{
	type Difficulty = U256;

	fn difficulty(&self, parent: B::Hash) -> Result<U256, Error<B>> {
		if let Some(difficulty) = self.cache.lock().get(&parent) {
			return Ok(*difficulty);
		}
		let difficulty = self.client.runtime_api().difficulty(parent).map_err(|e| {
			Error::Environment(format!("reading the difficulty at {parent} failed: {e}"))
		})?;
		if difficulty.is_zero() {
			return Err(Error::Runtime(format!("the runtime returned difficulty 0 at {parent}")));
		}
		self.cache.lock().insert(parent, difficulty);
		Ok(difficulty)
	}

	fn verify(
		&self,
		_parent: &BlockId<B>,
		pre_hash: &H256,
		_pre_digest: Option<&[u8]>,
		seal: &RawSeal,
		difficulty: U256,
	) -> Result<bool, Error<B>> {
		match check_seal(pre_hash.as_fixed_bytes(), seal, difficulty) {
			Ok(_) => Ok(true),
			Err(reason) => {
				log::warn!(
					target: LOG_TARGET,
					"⛔ Rejected seal of block with pre-hash {pre_hash:?}: {reason}"
				);
				Ok(false)
			},
		}
	}
}
