//! An in-memory state backend that counts database reads and writes the way the node's
//! benchmarking database (`sc-client-db`'s `BenchmarkingState`) does, without the client stack.
//!
//! The generated `run_benchmark` of a `#[benchmarks]` module calls the `benchmarking` host
//! functions (`wipe_db`, `commit_db`, `read_write_count`, `proof_size`, ...); natively they reach
//! the [`Backend`] behind the current externalities. [`CountingBackend`] wraps an in-memory trie
//! ([`TrieBackend`] over a [`PrefixedMemoryDB`], no trie cache, so every read goes to the trie):
//!
//! - every key read from or written to the backend is tracked; a key's first read is one DB read,
//!   a key written at commit is one DB write, whitelisted keys count nothing;
//! - `commit` applies the overlay's changes to the trie, `wipe` goes back to genesis;
//! - the proof size is the size of the trie nodes recorded since the last commit.

use sp_core::storage::{ChildInfo, TrackedStorageKey};
use sp_runtime::{traits::BlakeTwo256, StateVersion, Storage};
use sp_state_machine::{
	backend::Backend, BackendTransaction, ChildStorageCollection, IterArgs, StorageCollection,
	StorageIterator, StorageKey, StorageValue, TrieBackend, TrieBackendBuilder, UsageInfo,
};
use sp_trie::{recorder::Recorder, MerkleValue, PrefixedMemoryDB};
use std::{
	cell::RefCell,
	collections::{BTreeMap, HashMap},
	rc::Rc,
};

/// The hasher of the runtime's state.
type H = BlakeTwo256;
/// The hash of the runtime's state.
type Hash = sp_core::H256;
type Trie = TrieBackend<PrefixedMemoryDB<H>, H>;

/// The reads and writes of one storage key since the last reset.
#[derive(Clone, Default)]
struct Tracked {
	reads: u32,
	writes: u32,
	whitelisted: bool,
}

/// Tracked keys: the main trie under `None`, each child trie under its storage key.
#[derive(Default)]
struct Tracker {
	keys: HashMap<(Option<Vec<u8>>, Vec<u8>), Tracked>,
}

impl Tracker {
	fn reset(&mut self, whitelist: &[TrackedStorageKey]) {
		self.keys.clear();
		for key in whitelist {
			let tracked = Tracked { whitelisted: true, ..Default::default() };
			self.keys.insert((key.child_trie_key.clone(), key.key.clone()), tracked);
		}
	}

	fn read(&mut self, child: Option<&[u8]>, key: &[u8]) {
		self.keys.entry((child.map(<[u8]>::to_vec), key.to_vec())).or_default().reads += 1;
	}

	fn write(&mut self, child: Option<&[u8]>, key: &[u8]) {
		self.keys.entry((child.map(<[u8]>::to_vec), key.to_vec())).or_default().writes += 1;
	}
}

/// A state backend for native benchmarks: an in-memory trie that counts DB reads and writes and
/// can be committed to and wiped back to genesis (see the module docs).
pub struct CountingBackend {
	trie: RefCell<Trie>,
	genesis: (PrefixedMemoryDB<H>, Hash),
	tracker: Rc<RefCell<Tracker>>,
	whitelist: RefCell<Vec<TrackedStorageKey>>,
	recorder: RefCell<Recorder<H>>,
}

impl core::fmt::Debug for CountingBackend {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "CountingBackend")
	}
}

impl CountingBackend {
	/// A backend holding `genesis`, the state every benchmark run starts from.
	pub fn new(genesis: Storage) -> Self {
		let empty: Trie = sp_state_machine::new_in_mem::<H>();
		let children = genesis.children_default.values().map(|child| {
			(&child.child_info, child.data.iter().map(|(k, v)| (k.as_ref(), Some(v.as_ref()))))
		});
		let (root, transaction) = empty.full_storage_root(
			genesis.top.iter().map(|(k, v)| (k.as_ref(), Some(v.as_ref()))),
			children,
			StateVersion::V1,
		);
		let mut db = empty.into_storage();
		db.consolidate(transaction);
		let recorder = Recorder::default();
		let trie = TrieBackendBuilder::new(db.clone(), root)
			.with_recorder(recorder.clone())
			.build();
		Self {
			trie: RefCell::new(trie),
			genesis: (db, root),
			tracker: Default::default(),
			whitelist: Default::default(),
			recorder: RefCell::new(recorder),
		}
	}

	/// Rebuilds the trie over `db` at `root` with a fresh proof recorder.
	fn reopen(&self, db: PrefixedMemoryDB<H>, root: Hash) {
		let recorder = Recorder::default();
		*self.trie.borrow_mut() = if std::env::var("NOREC").is_ok() {
			TrieBackendBuilder::new(db, root).build()
		} else {
			TrieBackendBuilder::new(db, root).with_recorder(recorder.clone()).build()
		};
		*self.recorder.borrow_mut() = recorder;
	}

	fn read(&self, child: Option<&ChildInfo>, key: &[u8]) {
		self.tracker.borrow_mut().read(child.map(ChildInfo::storage_key), key);
	}
}

/// The raw key iterator of a [`CountingBackend`]: the trie's iterator, counting each key it
/// yields as a read.
pub struct RawIter {
	inner: <Trie as Backend<H>>::RawIter,
	child: Option<Vec<u8>>,
	tracker: Rc<RefCell<Tracker>>,
}

impl StorageIterator<H> for RawIter {
	type Backend = CountingBackend;
	type Error = String;

	fn next_key(&mut self, backend: &Self::Backend) -> Option<Result<StorageKey, Self::Error>> {
		let next = self.inner.next_key(&backend.trie.borrow());
		if let Some(Ok(key)) = &next {
			self.tracker.borrow_mut().read(self.child.as_deref(), key);
		}
		next
	}

	fn next_pair(
		&mut self,
		backend: &Self::Backend,
	) -> Option<Result<(StorageKey, StorageValue), Self::Error>> {
		let next = self.inner.next_pair(&backend.trie.borrow());
		if let Some(Ok((key, _))) = &next {
			self.tracker.borrow_mut().read(self.child.as_deref(), key);
		}
		next
	}

	fn was_complete(&self) -> bool {
		self.inner.was_complete()
	}
}

impl Backend<H> for CountingBackend {
	type Error = String;
	type TrieBackendStorage = PrefixedMemoryDB<H>;
	type RawIter = RawIter;

	fn storage(&self, key: &[u8]) -> Result<Option<StorageValue>, Self::Error> {
		self.read(None, key);
		self.trie.borrow().storage(key)
	}

	fn storage_hash(&self, key: &[u8]) -> Result<Option<Hash>, Self::Error> {
		self.read(None, key);
		self.trie.borrow().storage_hash(key)
	}

	fn closest_merkle_value(&self, key: &[u8]) -> Result<Option<MerkleValue<Hash>>, Self::Error> {
		self.read(None, key);
		self.trie.borrow().closest_merkle_value(key)
	}

	fn child_closest_merkle_value(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<MerkleValue<Hash>>, Self::Error> {
		self.read(Some(child_info), key);
		self.trie.borrow().child_closest_merkle_value(child_info, key)
	}

	fn child_storage(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<StorageValue>, Self::Error> {
		self.read(Some(child_info), key);
		self.trie.borrow().child_storage(child_info, key)
	}

	fn child_storage_hash(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<Hash>, Self::Error> {
		self.read(Some(child_info), key);
		self.trie.borrow().child_storage_hash(child_info, key)
	}

	fn exists_storage(&self, key: &[u8]) -> Result<bool, Self::Error> {
		self.read(None, key);
		self.trie.borrow().exists_storage(key)
	}

	fn exists_child_storage(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<bool, Self::Error> {
		self.read(Some(child_info), key);
		self.trie.borrow().exists_child_storage(child_info, key)
	}

	fn next_storage_key(&self, key: &[u8]) -> Result<Option<StorageKey>, Self::Error> {
		self.read(None, key);
		self.trie.borrow().next_storage_key(key)
	}

	fn next_child_storage_key(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<StorageKey>, Self::Error> {
		self.read(Some(child_info), key);
		self.trie.borrow().next_child_storage_key(child_info, key)
	}

	fn storage_root<'a>(
		&self,
		delta: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
		state_version: StateVersion,
	) -> (Hash, BackendTransaction<H>) {
		self.trie.borrow().storage_root(delta, state_version)
	}

	fn child_storage_root<'a>(
		&self,
		child_info: &ChildInfo,
		delta: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
		state_version: StateVersion,
	) -> (Hash, bool, BackendTransaction<H>) {
		self.trie.borrow().child_storage_root(child_info, delta, state_version)
	}

	fn raw_iter(&self, args: IterArgs) -> Result<Self::RawIter, Self::Error> {
		let child = args.child_info.as_ref().map(|c| c.storage_key().to_vec());
		let inner = self.trie.borrow().raw_iter(args)?;
		Ok(RawIter { inner, child, tracker: self.tracker.clone() })
	}

	fn register_overlay_stats(&self, _stats: &sp_state_machine::StateMachineStats) {}

	fn usage_info(&self) -> UsageInfo {
		UsageInfo::empty()
	}

	fn wipe(&self) -> Result<(), Self::Error> {
		self.reopen(self.genesis.0.clone(), self.genesis.1);
		self.reset_read_write_count();
		Ok(())
	}

	fn commit(
		&self,
		root: Hash,
		transaction: BackendTransaction<H>,
		main: StorageCollection,
		children: ChildStorageCollection,
	) -> Result<(), Self::Error> {
		let trie = core::mem::replace(&mut *self.trie.borrow_mut(), sp_state_machine::new_in_mem());
		let mut db = trie.into_storage();
		db.consolidate(transaction);
		self.reopen(db, root);
		{
			let mut tracker = self.tracker.borrow_mut();
			for (key, _) in &main {
				tracker.write(None, key);
			}
			for (child, changes) in &children {
				for (key, _) in changes {
					tracker.write(Some(child), key);
				}
			}
		}
		drop((main, children));
		crate::alloc::settle();
		Ok(())
	}

	fn read_write_count(&self) -> (u32, u32, u32, u32) {
		let (mut reads, mut repeat_reads, mut writes, mut repeat_writes) = (0, 0, 0, 0);
		for tracked in self.tracker.borrow().keys.values().filter(|t| !t.whitelisted) {
			if tracked.reads > 0 {
				reads += 1;
				repeat_reads += tracked.reads - 1;
			}
			if tracked.writes > 0 {
				writes += 1;
				repeat_writes += tracked.writes - 1;
			}
		}
		(reads, repeat_reads, writes, repeat_writes)
	}

	fn reset_read_write_count(&self) {
		self.tracker.borrow_mut().reset(&self.whitelist.borrow());
		// The timer starts right after this: the tracked keys just freed are sorted now.
		crate::alloc::settle();
	}

	fn get_whitelist(&self) -> Vec<TrackedStorageKey> {
		self.whitelist.borrow().clone()
	}

	fn set_whitelist(&self, new: Vec<TrackedStorageKey>) {
		*self.whitelist.borrow_mut() = new;
	}

	fn proof_size(&self) -> Option<u32> {
		Some(self.recorder.borrow().estimate_encoded_size() as u32)
	}

	/// Reads and writes per key prefix (the first 32 bytes: pallet and storage item), each key
	/// counted at most once, as `BenchmarkingState` reports them.
	fn get_read_and_written_keys(&self) -> Vec<(Vec<u8>, u32, u32, bool)> {
		let mut prefixes = BTreeMap::<Vec<u8>, (u32, u32)>::new();
		for ((_, key), tracked) in self.tracker.borrow().keys.iter() {
			if tracked.whitelisted {
				continue;
			}
			let entry = prefixes.entry(key[..key.len().min(32)].to_vec()).or_default();
			entry.0 += tracked.reads.min(1);
			entry.1 += tracked.writes.min(1);
		}
		prefixes.into_iter().map(|(prefix, (r, w))| (prefix, r, w, false)).collect()
	}
}
