//! The `--state` file of `encrypt` / `decrypt`: a session persisted between runs.
//!
//! JSON, written atomically with mode 0600:
//!
//! ```json
//! { "format": "gpow-ssk-session-v1", "genesis": "0x..", "from": "0x..", "to": "0x..",
//!   "epoch": 1, "role": "initiator", "lastSent": 3, "lastReceived": 2,
//!   "session": "0x..", "mac": "0x.." }
//! ```
//!
//! `from` / `to` are the envelope's sender and receiver (32-byte account ids), the same on both
//! sides; `role` says which side this file is. `session` is [`Session::export_state`]: the
//! counters, the replay window and the ratchet keys of later messages (never `K_S`, nor a key
//! already used). `lastSent` / `lastReceived` repeat its counters for people reading the file.
//! `mac` is `HKDF-Expand(HKDF-Extract("gpow-ssk-session-file-v1", K_S), "mac" || genesis ||
//! from || to || epoch (u64 LE) || role (0x01 initiator, 0x02 responder) || session, 32)`, so a
//! state file is refused when it was written for another SSK or modified. An *older copy* of a
//! valid state file cannot be detected: restoring one would reuse message keys. Never copy a
//! state file back; start a new epoch instead.

use std::path::Path;

use gpow_client_ssk::{Binding, Role, Session, Ssk};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::{
	encoding::{parse_hex, parse_hex_array, to_hex},
	files::{self, display, Access},
};

/// The `format` value of version 1.
pub const FORMAT: &str = "gpow-ssk-session-v1";
/// HKDF salt of the file MAC key.
const MAC_SALT: &[u8] = b"gpow-ssk-session-file-v1";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StateFile {
	format: String,
	genesis: String,
	from: String,
	to: String,
	epoch: u64,
	role: String,
	last_sent: u64,
	last_received: u64,
	session: String,
	mac: String,
}

fn role_name(role: Role) -> &'static str {
	match role {
		Role::Initiator => "initiator",
		Role::Responder => "responder",
	}
}

fn mac(ssk: &Ssk, binding: &Binding, role: Role, session: &[u8]) -> Result<[u8; 32], String> {
	let role_byte = [match role {
		Role::Initiator => 1u8,
		Role::Responder => 2,
	}];
	let hkdf = Hkdf::<Sha256>::new(Some(MAC_SALT), ssk.as_bytes());
	let mut out = [0u8; 32];
	hkdf.expand_multi_info(
		&[
			b"mac",
			&binding.genesis,
			&binding.sender,
			&binding.receiver,
			&binding.epoch.to_le_bytes(),
			&role_byte,
			session,
		],
		&mut out,
	)
	.map_err(|_| "internal: HKDF length".to_string())?;
	Ok(out)
}

/// Constant-time comparison of two MACs.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
	a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session stored at `path`, or a new one keyed by `ssk` if there is no file yet.
pub fn load(path: &Path, ssk: &Ssk, binding: &Binding, role: Role) -> Result<Session, String> {
	if files::is_stdio(path) {
		return Err("--state must be a file, not -".into());
	}
	if !path.exists() {
		return Session::new(ssk, binding, role).map_err(|e| e.to_string());
	}
	let name = display(path);
	let bytes = Zeroizing::new(files::read(path)?);
	let mut file: StateFile = serde_json::from_slice(&bytes)
		.map_err(|e| format!("state file {name} is not a gpow-ssk session state: {e}"))?;
	if file.format != FORMAT {
		return Err(format!("state file {name} has format {:?}, expected {FORMAT:?}", file.format));
	}
	let field = |what: &str, value: &str| {
		parse_hex_array::<32>(value).map_err(|e| format!("state file {name}: {what}: {e}"))
	};
	if field("genesis", &file.genesis)? != binding.genesis {
		return Err(format!(
			"state file {name} belongs to the chain with genesis {}, not --genesis {}",
			file.genesis,
			to_hex(&binding.genesis)
		));
	}
	if field("from", &file.from)? != binding.sender || field("to", &file.to)? != binding.receiver {
		return Err(format!(
			"state file {name} is for the pair {} -> {}, not this --from / --to",
			file.from, file.to
		));
	}
	if file.epoch != binding.epoch {
		return Err(format!(
			"state file {name} is for epoch {}, not --epoch {} (use a new state file for each \
			 epoch)",
			file.epoch, binding.epoch
		));
	}
	if file.role != role_name(role) {
		return Err(format!(
			"state file {name} is the {}'s, not --role {}",
			file.role,
			role_name(role)
		));
	}
	let session_hex = Zeroizing::new(std::mem::take(&mut file.session));
	let session_bytes = Zeroizing::new(
		parse_hex(&session_hex).map_err(|e| format!("state file {name}: session: {e}"))?,
	);
	let stored_mac = field("mac", &file.mac)?;
	if !same(&stored_mac, &mac(ssk, binding, role, &session_bytes)?) {
		return Err(format!(
			"state file {name} was not written with this --ssk, or it was modified (MAC check \
			 failed)"
		));
	}
	let session = Session::import_state(&session_bytes)
		.map_err(|e| format!("state file {name} is damaged: {e}"))?;
	if session.epoch() != binding.epoch
		|| session.last_sent_counter() != file.last_sent
		|| session.last_received_counter() != file.last_received
	{
		return Err(format!("state file {name} is inconsistent (counters or epoch)"));
	}
	Ok(session)
}

/// Writes `session` to `path` (atomically, owner-only).
pub fn save(
	path: &Path,
	session: &Session,
	ssk: &Ssk,
	binding: &Binding,
	role: Role,
) -> Result<(), String> {
	let session_bytes = session.export_state();
	let file = StateFile {
		format: FORMAT.to_string(),
		genesis: to_hex(&binding.genesis),
		from: to_hex(&binding.sender),
		to: to_hex(&binding.receiver),
		epoch: binding.epoch,
		role: role_name(role).to_string(),
		last_sent: session.last_sent_counter(),
		last_received: session.last_received_counter(),
		session: to_hex(&session_bytes),
		mac: to_hex(&mac(ssk, binding, role, &session_bytes)?),
	};
	let mut json = Zeroizing::new(
		serde_json::to_vec_pretty(&file).map_err(|e| format!("internal: state JSON: {e}"))?,
	);
	json.push(b'\n');
	// The hex copy of the ratchet keys is secret too.
	let StateFile { session: hex, .. } = file;
	drop(Zeroizing::new(hex));
	files::write(path, &json, Access::Secret)
}
