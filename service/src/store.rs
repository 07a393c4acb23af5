//! A program's state on disk: a directory of small files, each written atomically.
//!
//! The provider keeps its jobs here, the validator its pools, the consumer its instances and
//! SSK sessions, so that a program killed at any moment starts again where it stood: a file is
//! either its old or its new content, never half of each (written to a temporary file, synced,
//! renamed over the old one, and the directory synced). One program holds the directory at a
//! time: [`Store::open`] takes an exclusive lock on `<dir>/lock` for the store's life, and a
//! second program on the same directory is refused with [`StoreError::Locked`].
//!
//! Names are relative paths of `[A-Za-z0-9._-]` segments separated by `/` (`jobs/12.json`);
//! anything else (`..`, an absolute path, an empty segment) is refused with
//! [`StoreError::BadName`], so a name built from chain data can never point outside the store.

use std::{
	fs::{self, File, OpenOptions, TryLockError},
	io::{self, Write},
	path::{Path, PathBuf},
	sync::atomic::{AtomicU64, Ordering},
};

use serde::{de::DeserializeOwned, Serialize};

/// What can go wrong with the state directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// Another program holds the directory.
	#[error("{0} is in use by another program (its lock file is held)")]
	Locked(PathBuf),
	/// A name that is not a plain relative path.
	#[error("bad state file name {0:?}")]
	BadName(String),
	/// A file whose content is not what the program wrote.
	#[error("state file {path} is corrupt: {error}")]
	Corrupt {
		/// The file.
		path: PathBuf,
		/// What the decoder said.
		error: String,
	},
	/// The file system refused.
	#[error("state file {path}: {error}")]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// The error.
		error: io::Error,
	},
}

/// A result with a [`StoreError`].
pub type StoreResult<T> = Result<T, StoreError>;

/// A locked state directory.
#[derive(Debug)]
pub struct Store {
	dir: PathBuf,
	// Held (and locked) for the store's life.
	_lock: File,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
	move |error| StoreError::Io { path: path.to_owned(), error }
}

impl Store {
	/// Opens (creating it if needed) the state directory `dir` and locks it.
	pub fn open(dir: impl Into<PathBuf>) -> StoreResult<Self> {
		let dir = dir.into();
		fs::create_dir_all(&dir).map_err(io_error(&dir))?;
		let lock_path = dir.join("lock");
		let lock = OpenOptions::new()
			.create(true)
			.truncate(false)
			.write(true)
			.open(&lock_path)
			.map_err(io_error(&lock_path))?;
		match lock.try_lock() {
			Ok(()) => Ok(Store { dir, _lock: lock }),
			Err(TryLockError::WouldBlock) => Err(StoreError::Locked(dir)),
			Err(TryLockError::Error(error)) => Err(StoreError::Io { path: lock_path, error }),
		}
	}

	/// The directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// The path of the file `name`, after checking the name.
	pub fn path(&self, name: &str) -> StoreResult<PathBuf> {
		let good_segment = |s: &str| {
			!s.is_empty()
				&& s != "." && s != ".."
				&& s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
		};
		if name == "lock" || !name.split('/').all(good_segment) {
			return Err(StoreError::BadName(name.to_owned()));
		}
		Ok(self.dir.join(name))
	}

	/// Writes `bytes` as the file `name`, atomically; `secret` files are readable by the owner
	/// only (mode 0600).
	pub fn put_bytes(&self, name: &str, bytes: &[u8], secret: bool) -> StoreResult<()> {
		let path = self.path(name)?;
		let parent = path.parent().expect("a path inside the store has a parent");
		fs::create_dir_all(parent).map_err(io_error(parent))?;
		// Beside the file, named after it (so `x.ssk` and `x.state` never share one), this
		// process and this write (so two threads writing it never share one either).
		let tmp = {
			static WRITES: AtomicU64 = AtomicU64::new(0);
			let write = WRITES.fetch_add(1, Ordering::Relaxed);
			let mut name = path.file_name().unwrap_or_default().to_owned();
			name.push(format!(".tmp{}-{write}", std::process::id()));
			path.with_file_name(name)
		};
		let mut options = OpenOptions::new();
		options.write(true).create(true).truncate(true);
		#[cfg(unix)]
		if secret {
			use std::os::unix::fs::OpenOptionsExt;
			options.mode(0o600);
		}
		#[cfg(not(unix))]
		let _ = secret;
		let write = || -> io::Result<()> {
			let mut file = options.open(&tmp)?;
			file.write_all(bytes)?;
			file.sync_all()?;
			fs::rename(&tmp, &path)?;
			File::open(parent)?.sync_all()
		};
		write().map_err(|error| {
			let _ = fs::remove_file(&tmp);
			StoreError::Io { path: path.clone(), error }
		})
	}

	/// The content of the file `name`, or `None` if there is none.
	pub fn get_bytes(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
		let path = self.path(name)?;
		match fs::read(&path) {
			Ok(bytes) => Ok(Some(bytes)),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
			Err(error) => Err(StoreError::Io { path, error }),
		}
	}

	/// The secret file `name` of `N` bytes (a key), made with `make` and kept (mode 0600) on
	/// first use; a file of another length is [`StoreError::Corrupt`].
	pub fn secret<const N: usize, E: From<StoreError>>(
		&self,
		name: &str,
		make: impl FnOnce() -> Result<[u8; N], E>,
	) -> Result<[u8; N], E> {
		match self.get_bytes(name)? {
			Some(bytes) => bytes.try_into().map_err(|bytes: Vec<u8>| {
				let error = format!("{} bytes, not {N}", bytes.len());
				StoreError::Corrupt { path: self.dir.join(name), error }.into()
			}),
			None => {
				let secret = make()?;
				self.put_bytes(name, &secret, true)?;
				Ok(secret)
			},
		}
	}

	/// Writes `value` as JSON to the file `name`, atomically.
	pub fn put<T: Serialize>(&self, name: &str, value: &T) -> StoreResult<()> {
		let json = serde_json::to_vec_pretty(value)
			.map_err(|e| StoreError::Corrupt { path: self.dir.join(name), error: e.to_string() })?;
		self.put_bytes(name, &json, false)
	}

	/// The JSON value in the file `name`, or `None` if there is none.
	pub fn get<T: DeserializeOwned>(&self, name: &str) -> StoreResult<Option<T>> {
		let Some(bytes) = self.get_bytes(name)? else { return Ok(None) };
		serde_json::from_slice(&bytes)
			.map(Some)
			.map_err(|e| StoreError::Corrupt { path: self.dir.join(name), error: e.to_string() })
	}

	/// Removes the file `name`; removing a file that is not there is not an error.
	pub fn remove(&self, name: &str) -> StoreResult<()> {
		let path = self.path(name)?;
		match fs::remove_file(&path) {
			Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StoreError::Io { path, error: e }),
			_ => Ok(()),
		}
	}

	/// The names of the files in the folder `folder` (not recursive, temporary files left out),
	/// sorted; an absent folder has none.
	pub fn list(&self, folder: &str) -> StoreResult<Vec<String>> {
		let path = self.path(folder)?;
		let entries = match fs::read_dir(&path) {
			Ok(entries) => entries,
			Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
			Err(error) => return Err(StoreError::Io { path, error }),
		};
		let mut names = Vec::new();
		for entry in entries {
			let entry = entry.map_err(io_error(&path))?;
			let name = entry.file_name().to_string_lossy().into_owned();
			let is_file = entry.file_type().map_err(io_error(&path))?.is_file();
			let temporary = Path::new(&name)
				.extension()
				.is_some_and(|e| e.to_string_lossy().starts_with("tmp"));
			if is_file && !temporary {
				names.push(format!("{folder}/{name}"));
			}
		}
		names.sort();
		Ok(names)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn temp_dir(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("gpow-store-{name}-{}", std::process::id()));
		let _ = fs::remove_dir_all(&dir);
		dir
	}

	#[test]
	fn values_survive_reopening() {
		let dir = temp_dir("reopen");
		{
			let store = Store::open(&dir).unwrap();
			store.put("jobs/7.json", &vec![1u32, 2, 3]).unwrap();
			store.put_bytes("keys/secret", b"k", true).unwrap();
			assert_eq!(store.get::<Vec<u32>>("jobs/8.json").unwrap(), None);
		}
		let store = Store::open(&dir).unwrap();
		assert_eq!(store.get::<Vec<u32>>("jobs/7.json").unwrap(), Some(vec![1, 2, 3]));
		assert_eq!(store.list("jobs").unwrap(), vec!["jobs/7.json".to_owned()]);
		assert_eq!(store.list("none").unwrap(), Vec::<String>::new());
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = fs::metadata(dir.join("keys/secret")).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o600);
		}
		store.remove("jobs/7.json").unwrap();
		store.remove("jobs/7.json").unwrap();
		assert_eq!(store.list("jobs").unwrap(), Vec::<String>::new());
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn a_second_program_is_refused() {
		let dir = temp_dir("lock");
		let _first = Store::open(&dir).unwrap();
		assert!(matches!(Store::open(&dir), Err(StoreError::Locked(_))));
		drop(_first);
		Store::open(&dir).unwrap();
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn names_cannot_leave_the_directory() {
		let dir = temp_dir("names");
		let store = Store::open(&dir).unwrap();
		for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "", "lock", "a b", "jobs/"] {
			assert!(matches!(store.path(bad), Err(StoreError::BadName(_))), "{bad}");
		}
		assert!(store.path("jobs/12.json").is_ok());
		fs::write(dir.join("bad.json"), b"{").unwrap();
		assert!(matches!(store.get::<u32>("bad.json"), Err(StoreError::Corrupt { .. })));
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn secrets_are_made_once_and_checked() {
		let dir = temp_dir("secret");
		let store = Store::open(&dir).unwrap();
		let made = store.secret("k.key", || Ok::<_, StoreError>([7u8; 32])).unwrap();
		let again = store.secret("k.key", || -> StoreResult<[u8; 32]> { panic!("made twice") });
		assert_eq!(again.unwrap(), made);
		// Of another length: corrupt, not replaced.
		let short = store.secret("k.key", || Ok::<_, StoreError>([1u8; 16]));
		assert!(matches!(short, Err(StoreError::Corrupt { .. })));
		assert_eq!(store.get_bytes("k.key").unwrap(), Some(vec![7; 32]));
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn files_of_one_stem_written_at_once_keep_their_content() {
		let dir = temp_dir("stems");
		let store = std::sync::Arc::new(Store::open(&dir).unwrap());
		// `s/x.ssk` and `s/x.state` (one stem), each from two threads at a time.
		let writers: Vec<_> = ["s/x.ssk", "s/x.state", "s/x.ssk", "s/x.state"]
			.into_iter()
			.map(|name| {
				let store = store.clone();
				std::thread::spawn(move || {
					for _ in 0..100 {
						store.put_bytes(name, name.as_bytes(), false).unwrap();
					}
				})
			})
			.collect();
		for writer in writers {
			writer.join().unwrap();
		}
		assert_eq!(store.get_bytes("s/x.ssk").unwrap().unwrap(), b"s/x.ssk");
		assert_eq!(store.get_bytes("s/x.state").unwrap().unwrap(), b"s/x.state");
		assert_eq!(store.list("s").unwrap(), vec!["s/x.ssk".to_owned(), "s/x.state".to_owned()]);
		assert_eq!(fs::read_dir(dir.join("s")).unwrap().count(), 2, "no temporary file is left");
		fs::remove_dir_all(dir).unwrap();
	}
}
