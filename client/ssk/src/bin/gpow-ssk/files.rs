//! Reading and writing the tool's files; `-` stands for standard input or output.

use std::{
	fs::{self, File, OpenOptions},
	io::{self, Read, Write},
	path::{Path, PathBuf},
};

/// Is this path the standard stream placeholder `-`?
pub fn is_stdio(path: &Path) -> bool {
	path.as_os_str() == "-"
}

/// How a path is named in messages.
pub fn display(path: &Path) -> String {
	if is_stdio(path) {
		"standard input/output".to_string()
	} else {
		path.display().to_string()
	}
}

/// Reads a whole file, or standard input for `-`.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
	let mut bytes = Vec::new();
	let result = if is_stdio(path) {
		io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
	} else {
		File::open(path).and_then(|mut file| file.read_to_end(&mut bytes)).map(|_| ())
	};
	result.map_err(|e| format!("cannot read {}: {}", display(path), io_reason(&e)))?;
	Ok(bytes)
}

/// Reads a text file (or standard input) and trims it.
pub fn read_text(path: &Path) -> Result<String, String> {
	let bytes = read(path)?;
	String::from_utf8(bytes)
		.map(|text| text.trim().to_string())
		.map_err(|_| format!("{} is not UTF-8 text", display(path)))
}

/// What a written file may be read by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
	/// Secret material: readable by the owner only (mode 0600 on Unix).
	Secret,
	/// Public data: the default permissions.
	Public,
}

/// Writes a whole file atomically (a temporary file in the same directory, synced, then
/// renamed over the target), or to standard output for `-`.
pub fn write(path: &Path, bytes: &[u8], access: Access) -> Result<(), String> {
	if is_stdio(path) {
		let mut out = io::stdout().lock();
		return out
			.write_all(bytes)
			.and_then(|()| out.flush())
			.map_err(|e| format!("cannot write to standard output: {}", io_reason(&e)));
	}
	let temp = temp_path(path);
	let written = write_new(&temp, bytes, access).and_then(|()| fs::rename(&temp, path));
	if let Err(e) = written {
		let _ = fs::remove_file(&temp);
		return Err(format!("cannot write {}: {}", display(path), io_reason(&e)));
	}
	Ok(())
}

/// Creates a file that must not exist yet (for secret keys: never overwrite one).
pub fn create_new(path: &Path, bytes: &[u8], access: Access) -> Result<(), String> {
	if is_stdio(path) {
		return write(path, bytes, access);
	}
	write_new(path, bytes, access).map_err(|e| {
		if e.kind() == io::ErrorKind::AlreadyExists {
			format!("{} already exists; refusing to overwrite it (use --force)", display(path))
		} else {
			format!("cannot write {}: {}", display(path), io_reason(&e))
		}
	})
}

fn write_new(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
	let mut options = OpenOptions::new();
	options.write(true).create_new(true);
	#[cfg(unix)]
	if access == Access::Secret {
		use std::os::unix::fs::OpenOptionsExt;
		options.mode(0o600);
	}
	#[cfg(not(unix))]
	let _ = access;
	let mut file = options.open(path)?;
	file.write_all(bytes)?;
	file.sync_all()
}

/// `<dir>/.<name>.tmp-<pid>`, next to `path`.
fn temp_path(path: &Path) -> PathBuf {
	let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
	path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// An exclusive lock on `<path>.lock`, held until dropped, so that two runs never use the same
/// session state at once. The lock file itself is left in place (removing it would race).
pub struct Lock {
	_file: File,
}

/// Takes the lock of `path`, waiting for another run to release it.
pub fn lock(path: &Path) -> Result<Lock, String> {
	let mut name = path.as_os_str().to_owned();
	name.push(".lock");
	let lock_path = PathBuf::from(name);
	let file = OpenOptions::new()
		.read(true)
		.write(true)
		.create(true)
		.truncate(false)
		.open(&lock_path)
		.map_err(|e| format!("cannot open {}: {}", lock_path.display(), io_reason(&e)))?;
	file.lock()
		.map_err(|e| format!("cannot lock {}: {}", lock_path.display(), io_reason(&e)))?;
	Ok(Lock { _file: file })
}

/// An I/O error without the `(os error N)` suffix.
pub fn io_reason(e: &io::Error) -> String {
	let text = e.to_string();
	match text.find(" (os error") {
		Some(end) => text[..end].to_string(),
		None => text,
	}
}
