//! The provider's jobs and their data in the [`Store`]:
//!
//! | file | what |
//! |---|---|
//! | `jobs/<instance>.json` | the [`Job`] |
//! | `data/<instance>/definition` | the definition frame, as delivered |
//! | `data/<instance>/blob` | a storage instance's blob |
//! | `data/<instance>/result` | the result frame (range) |
//! | `data/<instance>/evidence` | the SCALE evidence record whose hash was submitted |
//! | `scan.json` | the next instance id to look at: every lower one was seen |
//!
//! Job records are written through one lock, so concurrent steps of different jobs never write
//! a file at the same time; the data files of a job are written by the one step that owns it.

use std::{collections::BTreeMap, sync::Mutex};

use crate::{
	provider::job::{Job, StageError},
	store::{Store, StoreError, StoreResult},
};

/// A data file of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFile {
	/// The definition frame.
	Definition,
	/// The blob.
	Blob,
	/// The result frame.
	Result,
	/// The evidence record.
	Evidence,
}

impl DataFile {
	/// Every data file.
	pub const ALL: [DataFile; 4] =
		[DataFile::Definition, DataFile::Blob, DataFile::Result, DataFile::Evidence];

	fn name(self) -> &'static str {
		match self {
			DataFile::Definition => "definition",
			DataFile::Blob => "blob",
			DataFile::Result => "result",
			DataFile::Evidence => "evidence",
		}
	}
}

/// Why a job could not be updated.
#[derive(Debug, thiserror::Error)]
pub enum BookError {
	/// The store failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The step is not one the job can take.
	#[error(transparent)]
	Stage(#[from] StageError),
	/// The book has no such job.
	#[error("no job for instance {0}")]
	NoJob(u64),
}

/// The jobs, in memory and in the store.
#[derive(Debug)]
pub struct Book {
	store: Store,
	jobs: Mutex<BTreeMap<u64, Job>>,
}

/// The store file of the scan position.
const SCAN_FILE: &str = "scan.json";

impl Book {
	/// The book of the jobs in `store`.
	pub fn load(store: Store) -> StoreResult<Book> {
		let mut jobs = BTreeMap::new();
		for name in store.list("jobs")? {
			if let Some(job) = store.get::<Job>(&name)? {
				jobs.insert(job.instance, job);
			}
		}
		Ok(Book { store, jobs: Mutex::new(jobs) })
	}

	/// The store (the SSK channel keeps its keys and sessions there too).
	pub fn store(&self) -> &Store {
		&self.store
	}

	fn jobs(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Job>> {
		// A panic while holding the lock cannot leave a half-written job: recover the map.
		self.jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// The job of `instance`.
	pub fn job(&self, instance: u64) -> Option<Job> {
		self.jobs().get(&instance).cloned()
	}

	/// Every job.
	pub fn all(&self) -> Vec<Job> {
		self.jobs().values().cloned().collect()
	}

	/// Adds `job` unless the book has a job for its instance; whether it was added.
	pub fn insert(&self, job: Job) -> StoreResult<bool> {
		let mut jobs = self.jobs();
		if jobs.contains_key(&job.instance) {
			return Ok(false);
		}
		self.store.put(&job_file(job.instance), &job)?;
		jobs.insert(job.instance, job);
		Ok(true)
	}

	/// Applies `step` to the job of `instance` and writes it, or leaves it as it was if `step`
	/// or the write fails. Returns the updated job.
	pub fn update(
		&self,
		instance: u64,
		step: impl FnOnce(&mut Job) -> Result<(), StageError>,
	) -> Result<Job, BookError> {
		let mut jobs = self.jobs();
		let mut job = jobs.get(&instance).cloned().ok_or(BookError::NoJob(instance))?;
		step(&mut job)?;
		self.store.put(&job_file(instance), &job)?;
		jobs.insert(instance, job.clone());
		Ok(job)
	}

	/// Writes a data file of `instance`.
	pub fn put_data(&self, instance: u64, file: DataFile, bytes: &[u8]) -> StoreResult<()> {
		self.store.put_bytes(&data_file(instance, file), bytes, false)
	}

	/// A data file of `instance`, if written.
	pub fn data(&self, instance: u64, file: DataFile) -> StoreResult<Option<Vec<u8>>> {
		self.store.get_bytes(&data_file(instance, file))
	}

	/// Removes the data files of `instance`.
	pub fn remove_data(&self, instance: u64) -> StoreResult<()> {
		DataFile::ALL
			.into_iter()
			.try_for_each(|file| self.store.remove(&data_file(instance, file)))
	}

	/// The next instance id to look at (every lower one was seen), 0 at first.
	pub fn scan_from(&self) -> StoreResult<u64> {
		Ok(self.store.get(SCAN_FILE)?.unwrap_or(0))
	}

	/// Records that every instance below `next` was seen.
	pub fn scanned_to(&self, next: u64) -> StoreResult<()> {
		let _jobs = self.jobs();
		self.store.put(SCAN_FILE, &next)
	}
}

fn job_file(instance: u64) -> String {
	format!("jobs/{instance}.json")
}

fn data_file(instance: u64, file: DataFile) -> String {
	format!("data/{instance}/{}", file.name())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::provider::job::{tests::job, Stage};
	use gpow_market::ServiceKind;

	fn temp_dir(name: &str) -> std::path::PathBuf {
		let dir =
			std::env::temp_dir().join(format!("gpow-provider-book-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		dir
	}

	#[test]
	fn jobs_and_data_survive_a_restart() {
		let dir = temp_dir("restart");
		{
			let book = Book::load(Store::open(&dir).unwrap()).unwrap();
			assert!(book.insert(job(7, ServiceKind::Range)).unwrap());
			assert!(!book.insert(job(7, ServiceKind::Storage)).unwrap(), "one job per instance");
			book.put_data(7, DataFile::Definition, b"frame").unwrap();
			book.update(7, |job| job.advance(Stage::Delivered)).unwrap();
			let refused = book.update(7, |job| job.advance(Stage::Assigned));
			assert!(matches!(refused, Err(BookError::Stage(_))));
			assert!(matches!(book.update(8, |_| Ok(())), Err(BookError::NoJob(8))));
			book.scanned_to(9).unwrap();
		}
		let book = Book::load(Store::open(&dir).unwrap()).unwrap();
		let job = book.job(7).unwrap();
		assert_eq!((job.kind, job.stage), (ServiceKind::Range, Stage::Delivered));
		assert_eq!(book.all().len(), 1);
		assert_eq!(book.data(7, DataFile::Definition).unwrap(), Some(b"frame".to_vec()));
		assert_eq!(book.data(7, DataFile::Result).unwrap(), None);
		assert_eq!(book.scan_from().unwrap(), 9);
		book.remove_data(7).unwrap();
		assert_eq!(book.data(7, DataFile::Definition).unwrap(), None);
		std::fs::remove_dir_all(dir).unwrap();
	}
}
