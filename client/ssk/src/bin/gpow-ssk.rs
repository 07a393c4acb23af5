//! `gpow-ssk`: the Sustainable Symmetric Key from the command line.
//!
//! Generates X25519 encryption keys, seals an SSK to a recipient's key (the envelope JSON that
//! `ssk.postEnvelope` takes and `ssk_latest` returns), opens an envelope from a file or straight
//! from a node's JSON-RPC, and encrypts / decrypts traffic with a session persisted in a state
//! file. Every file argument accepts `-` for standard input / output. Errors are one line on
//! standard error; the exit status is 1 when an operation fails and 2 for bad usage.
//!
//! See `client/ssk/README.md` for examples.

// The tool's modules live in `src/bin/gpow-ssk/` (not `src/bin/`, where Cargo would take every
// file for a binary of its own).
#[path = "gpow-ssk/encoding.rs"]
mod encoding;
#[path = "gpow-ssk/envelope_json.rs"]
mod envelope_json;
#[path = "gpow-ssk/files.rs"]
mod files;
#[path = "gpow-ssk/rpc.rs"]
mod rpc;
#[path = "gpow-ssk/state.rs"]
mod state;

use std::{path::PathBuf, process::ExitCode};

use clap::{error::ErrorKind, Args, Parser, Subcommand, ValueEnum};
use gpow_client_ssk::{
	Binding, EncryptionKeyPair, EnvelopeHeader, EnvelopeHeaderExt, Party, Role, Ssk,
};
use serde::Deserialize;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use crate::{
	encoding::{parse_hex_array, parse_ss58, to_hex, Account},
	envelope_json::EnvelopeJson,
	files::{display, Access},
	rpc::{one_line, Rpc},
};

/// Exit status of a failed operation.
const EXIT_FAILURE: u8 = 1;
/// Exit status of a command line that does not parse.
const EXIT_USAGE: u8 = 2;

/// The Sustainable Symmetric Key (SSK) of GPoW from the command line: keys, envelopes, traffic.
#[derive(Parser, Debug)]
#[command(name = "gpow-ssk", version)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Generate an X25519 encryption key pair: writes the secret key (hex) to --out, prints the
	/// public key (hex) to publish with `ssk.publishKey`.
	Keygen(KeygenArgs),
	/// Print the public key (hex) of a secret key file.
	Pubkey(PubkeyArgs),
	/// Seal a fresh SSK to a recipient's encryption key (HPKE Auth mode): writes the envelope
	/// JSON (to post with `ssk.postEnvelope`) and the SSK.
	Seal(SealArgs),
	/// Open an envelope, from a file or from a node (--rpc), and write the SSK.
	Open(OpenArgs),
	/// Encrypt a message (all of --in) into one frame, with the session kept in --state.
	Encrypt(TrafficArgs),
	/// Decrypt one frame (all of --in), with the session kept in --state; refuses replayed,
	/// reordered, other-epoch, truncated and tampered frames.
	Decrypt(TrafficArgs),
}

#[derive(Args, Debug)]
struct KeygenArgs {
	/// File to write the secret key to (created with mode 0600; `-` for standard output).
	#[arg(long, value_name = "FILE")]
	out: PathBuf,
	/// Overwrite --out if it exists.
	#[arg(long)]
	force: bool,
}

#[derive(Args, Debug)]
struct PubkeyArgs {
	/// Secret key file (hex).
	#[arg(long, value_name = "FILE")]
	key: PathBuf,
}

#[derive(Args, Debug)]
struct SealArgs {
	/// The sender's secret key file (the key published by --from).
	#[arg(long, value_name = "FILE")]
	key: PathBuf,
	/// The recipient's published encryption key (32 bytes hex, `ssk_encryptionKey`).
	#[arg(long, value_name = "HEX", value_parser = hex32)]
	to_key: [u8; 32],
	/// Genesis hash of the chain (`chain_getBlockHash(0)`).
	#[arg(long, value_name = "HEX", value_parser = hex32)]
	genesis: [u8; 32],
	/// The sender's account (SS58), who posts the envelope.
	#[arg(long, value_name = "SS58", value_parser = ss58)]
	from: Account,
	/// The recipient's account (SS58).
	#[arg(long, value_name = "SS58", value_parser = ss58)]
	to: Account,
	/// Epoch of the envelope: higher than the pair's current one on chain.
	#[arg(long, value_name = "N")]
	epoch: u64,
	/// Version of the recipient's key (--to-key) on chain.
	#[arg(long, value_name = "V")]
	key_version: u32,
	/// Last block at which the SSK may be used.
	#[arg(long, value_name = "BLOCK")]
	expiry: Option<u32>,
	/// File to write the envelope JSON to.
	#[arg(long, value_name = "FILE")]
	out: PathBuf,
	/// File to write the SSK (hex) to (mode 0600).
	#[arg(long, value_name = "FILE")]
	ssk_out: PathBuf,
}

#[derive(Args, Debug)]
struct OpenArgs {
	/// The recipient's secret key file (the key published by --to).
	#[arg(long, value_name = "FILE")]
	key: PathBuf,
	/// The sender's account (SS58).
	#[arg(long, value_name = "SS58", value_parser = ss58)]
	from: Account,
	/// The recipient's account (SS58).
	#[arg(long, value_name = "SS58", value_parser = ss58)]
	to: Account,
	/// Refuse an envelope of another epoch.
	#[arg(long, value_name = "N")]
	epoch: Option<u64>,
	/// Envelope JSON file (as written by `seal` or returned by `ssk_latest`).
	#[arg(long, value_name = "FILE", required_unless_present = "rpc", conflicts_with = "rpc")]
	envelope: Option<PathBuf>,
	/// The sender's published encryption key (32 bytes hex).
	#[arg(
		long,
		value_name = "HEX",
		value_parser = hex32,
		required_unless_present = "rpc",
		conflicts_with = "rpc"
	)]
	sender_key: Option<[u8; 32]>,
	/// Genesis hash of the chain.
	#[arg(
		long,
		value_name = "HEX",
		value_parser = hex32,
		required_unless_present = "rpc",
		conflicts_with = "rpc"
	)]
	genesis: Option<[u8; 32]>,
	/// Fetch the envelope, the sender's key and the genesis hash from this node's JSON-RPC
	/// (http://HOST:PORT).
	#[arg(long, value_name = "URL")]
	rpc: Option<String>,
	/// With --rpc: read the chain at this block hash instead of the best block.
	#[arg(long, value_name = "HASH", value_parser = hex32, requires = "rpc")]
	at: Option<[u8; 32]>,
	/// File to write the SSK (hex) to (mode 0600).
	#[arg(long, value_name = "FILE")]
	ssk_out: PathBuf,
}

#[derive(Args, Debug)]
struct TrafficArgs {
	/// The SSK file (hex), as written by `seal` or `open`.
	#[arg(long, value_name = "FILE")]
	ssk: PathBuf,
	/// Genesis hash of the chain.
	#[arg(long, value_name = "HEX", value_parser = hex32)]
	genesis: [u8; 32],
	/// The envelope's sender (SS58): the same on both sides.
	#[arg(long, value_name = "SS58", value_parser = ss58)]
	from: Account,
	/// The envelope's recipient (SS58): the same on both sides.
	#[arg(long, value_name = "SS58", value_parser = ss58)]
	to: Account,
	/// Epoch of the SSK.
	#[arg(long, value_name = "N")]
	epoch: u64,
	/// Which side you are: the envelope's sender (initiator) or its recipient (responder).
	#[arg(long, value_enum)]
	role: RoleArg,
	/// Session state file, created on first use and updated by every message (mode 0600). Never
	/// restore an older copy of it.
	#[arg(long, value_name = "FILE")]
	state: PathBuf,
	/// Input: the plaintext (encrypt) or the frame (decrypt).
	#[arg(long = "in", value_name = "FILE", default_value = "-")]
	input: PathBuf,
	/// Output: the frame (encrypt) or the plaintext (decrypt).
	#[arg(long, value_name = "FILE", default_value = "-")]
	out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RoleArg {
	/// The envelope's sender (--from).
	Initiator,
	/// The envelope's recipient (--to).
	Responder,
}

impl From<RoleArg> for Role {
	fn from(role: RoleArg) -> Self {
		match role {
			RoleArg::Initiator => Role::Initiator,
			RoleArg::Responder => Role::Responder,
		}
	}
}

fn hex32(text: &str) -> Result<[u8; 32], String> {
	parse_hex_array::<32>(text)
}

fn ss58(text: &str) -> Result<Account, String> {
	parse_ss58(text)
}

/// An encryption key as `ssk_encryptionKey` returns it.
#[derive(Deserialize)]
struct KeyJson {
	version: u32,
	key: String,
}

/// Reads a secret key file.
fn read_keypair(path: &std::path::Path) -> Result<EncryptionKeyPair, String> {
	let text = Zeroizing::new(files::read_text(path)?);
	let secret = Zeroizing::new(
		parse_hex_array::<32>(&text)
			.map_err(|e| format!("secret key file {}: {e}", display(path)))?,
	);
	Ok(EncryptionKeyPair::from_secret_bytes(*secret))
}

/// Reads an SSK file.
fn read_ssk(path: &std::path::Path) -> Result<Ssk, String> {
	let text = Zeroizing::new(files::read_text(path)?);
	let bytes = Zeroizing::new(
		parse_hex_array::<32>(&text).map_err(|e| format!("SSK file {}: {e}", display(path)))?,
	);
	Ok(Ssk::from_bytes(*bytes))
}

/// Writes an SSK file.
fn write_ssk(path: &std::path::Path, ssk: &Ssk) -> Result<(), String> {
	let mut text = Zeroizing::new(to_hex(ssk.as_bytes()));
	text.push('\n');
	files::write(path, text.as_bytes(), Access::Secret)
}

fn keygen(args: KeygenArgs) -> Result<(), String> {
	let keys = EncryptionKeyPair::generate().map_err(|e| e.to_string())?;
	let mut text = Zeroizing::new(to_hex(keys.secret_bytes().as_ref()));
	text.push('\n');
	let public = to_hex(&keys.public());
	if files::is_stdio(&args.out) {
		files::write(&args.out, text.as_bytes(), Access::Secret)?;
		eprintln!("public key: {public}");
		return Ok(());
	}
	if args.force {
		files::write(&args.out, text.as_bytes(), Access::Secret)?;
	} else {
		files::create_new(&args.out, text.as_bytes(), Access::Secret)?;
	}
	files::write(std::path::Path::new("-"), format!("{public}\n").as_bytes(), Access::Public)
}

fn pubkey(args: PubkeyArgs) -> Result<(), String> {
	let keys = read_keypair(&args.key)?;
	files::write(
		std::path::Path::new("-"),
		format!("{}\n", to_hex(&keys.public())).as_bytes(),
		Access::Public,
	)
}

fn seal(args: SealArgs) -> Result<(), String> {
	let keys = read_keypair(&args.key)?;
	let binding = Binding {
		genesis: args.genesis,
		sender: args.from.id,
		receiver: args.to.id,
		epoch: args.epoch,
	};
	let header = EnvelopeHeader::new(args.epoch, args.key_version, args.expiry);
	let (envelope, ssk) = gpow_client_ssk::seal(&keys, &args.to_key, &binding, header)
		.map_err(|e| format!("cannot seal: {e}"))?;
	let mut json = serde_json::to_vec(&EnvelopeJson::from_envelope(&envelope))
		.map_err(|e| format!("internal: envelope JSON: {e}"))?;
	json.push(b'\n');
	// The SSK first: an envelope whose SSK was lost is useless.
	write_ssk(&args.ssk_out, &ssk)?;
	files::write(&args.out, &json, Access::Public)
}

/// `[who, at]` or `[who]`.
fn params(accounts: &[&Account], at: Option<&str>) -> Value {
	let mut list: Vec<Value> = accounts.iter().map(|a| Value::from(a.ss58.clone())).collect();
	if let Some(at) = at {
		list.push(Value::from(at));
	}
	Value::Array(list)
}

/// The published key of `who`: as of block `first` if given and still readable, else as of
/// `fallback` (or the best block).
fn key_of(
	rpc: &Rpc,
	who: &Account,
	first: Option<&str>,
	fallback: Option<&str>,
) -> Result<Option<KeyJson>, String> {
	if let Some(block) = first {
		// The state of an old block may have been pruned: then use the later one.
		if let Ok(Some(key)) = rpc.call::<KeyJson>("ssk_encryptionKey", params(&[who], Some(block)))
		{
			return Ok(Some(key));
		}
	}
	rpc.call("ssk_encryptionKey", params(&[who], fallback))
}

fn open(args: OpenArgs) -> Result<(), String> {
	let keys = read_keypair(&args.key)?;
	let (envelope, sender_key, genesis) = match &args.rpc {
		None => {
			let path = args.envelope.as_deref().ok_or("--envelope is required without --rpc")?;
			let text = files::read(path)?;
			let json: EnvelopeJson = serde_json::from_slice(&text).map_err(|e| {
				format!("envelope file {}: not an envelope JSON: {e}", display(path))
			})?;
			let envelope = json
				.to_envelope()
				.map_err(|e| format!("envelope file {}: {e}", display(path)))?;
			let sender_key = args.sender_key.ok_or("--sender-key is required without --rpc")?;
			let genesis = args.genesis.ok_or("--genesis is required without --rpc")?;
			(envelope, sender_key, genesis)
		},
		Some(url) => {
			let rpc = Rpc::new(url)?;
			let at = args.at.map(|hash| to_hex(&hash));
			let genesis: String = rpc
				.call("chain_getBlockHash", json!([0]))?
				.ok_or("chain_getBlockHash(0) returned null: the node has no genesis block")?;
			let genesis = parse_hex_array::<32>(&genesis)
				.map_err(|e| format!("chain_getBlockHash(0) returned a bad hash: {e}"))?;
			let latest: EnvelopeJson = rpc
				.call("ssk_latest", params(&[&args.from, &args.to], at.as_deref()))?
				.ok_or_else(|| {
					format!(
						"no envelope from {} to {} on chain (ssk_latest returned null)",
						args.from.ss58, args.to.ss58
					)
				})?;
			let envelope =
				latest.to_envelope().map_err(|e| format!("the envelope on chain: {e}"))?;
			// The parties' keys as of the block the envelope was posted in.
			let posted: Option<String> = match latest.posted_at {
				Some(number) => rpc.call("chain_getBlockHash", json!([number])).ok().flatten(),
				None => None,
			};
			let sender = key_of(&rpc, &args.from, posted.as_deref(), at.as_deref())?
				.ok_or_else(|| format!("{} has no encryption key on chain", args.from.ss58))?;
			let sender_key = parse_hex_array::<32>(&sender.key)
				.map_err(|e| format!("ssk_encryptionKey returned a bad key: {e}"))?;
			let recipient = key_of(&rpc, &args.to, posted.as_deref(), at.as_deref())?;
			if let Some(recipient) = recipient {
				let ours = keys.public();
				let theirs = parse_hex_array::<32>(&recipient.key)
					.map_err(|e| format!("ssk_encryptionKey returned a bad key: {e}"))?;
				if recipient.version == envelope.header.recipient_key_version && theirs != ours {
					return Err(format!(
						"wrong key: --key has public key {}, but the envelope is sealed to {}'s \
						 key version {} on chain, {}",
						to_hex(&ours),
						args.to.ss58,
						recipient.version,
						to_hex(&theirs)
					));
				}
			}
			(envelope, sender_key, genesis)
		},
	};
	let binding = Binding {
		genesis,
		sender: args.from.id,
		receiver: args.to.id,
		epoch: args.epoch.unwrap_or(envelope.header.epoch),
	};
	let ssk = Party::with_cache_capacity(keys, 0)
		.open(&sender_key, &binding, &envelope)
		.map_err(|e| format!("cannot open the envelope: {e}"))?;
	write_ssk(&args.ssk_out, &ssk)
}

/// Encrypts (`encrypt == true`) or decrypts one message with the session in `--state`.
fn traffic(args: TrafficArgs, encrypt: bool) -> Result<(), String> {
	let ssk = read_ssk(&args.ssk)?;
	let binding = Binding {
		genesis: args.genesis,
		sender: args.from.id,
		receiver: args.to.id,
		epoch: args.epoch,
	};
	let role = Role::from(args.role);
	if files::is_stdio(&args.state) {
		return Err("--state must be a file, not -".into());
	}
	let input = Zeroizing::new(files::read(&args.input)?);
	let lock = files::lock(&args.state)?;
	let mut session = state::load(&args.state, &ssk, &binding, role)?;
	let output = Zeroizing::new(if encrypt {
		session.encrypt(&input).map_err(|e| format!("cannot encrypt: {e}"))?
	} else {
		session.decrypt(&input).map_err(|e| format!("cannot decrypt: {e}"))?
	});
	// The state first: a frame must never be sent, nor a plaintext used, with a counter the
	// state file does not remember.
	state::save(&args.state, &session, &ssk, &binding, role)?;
	drop(lock);
	files::write(&args.out, &output, Access::Public)
}

fn run(cli: Cli) -> Result<(), String> {
	match cli.command {
		Command::Keygen(args) => keygen(args),
		Command::Pubkey(args) => pubkey(args),
		Command::Seal(args) => seal(args),
		Command::Open(args) => open(args),
		Command::Encrypt(args) => traffic(args, true),
		Command::Decrypt(args) => traffic(args, false),
	}
}

/// A clap error as one line: its message without the usage block.
fn usage_error(error: &clap::Error) -> String {
	let text = error.render().to_string();
	let lines: Vec<&str> = text
		.lines()
		.take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
		.map(str::trim)
		.filter(|line| !line.is_empty())
		.collect();
	let message = lines.join(" ");
	message.strip_prefix("error: ").unwrap_or(&message).to_string()
}

fn main() -> ExitCode {
	// Never a backtrace: a bug is reported on one line like any other error.
	std::panic::set_hook(Box::new(|info| {
		let payload = info
			.payload()
			.downcast_ref::<&str>()
			.map(|s| s.to_string())
			.or_else(|| info.payload().downcast_ref::<String>().cloned())
			.unwrap_or_default();
		let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line()));
		eprintln!(
			"gpow-ssk: internal error (a bug): {}{}",
			one_line(&payload, 300),
			place.unwrap_or_default()
		);
	}));
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		Err(error) => {
			return match error.kind() {
				ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
					let _ = error.print();
					ExitCode::SUCCESS
				},
				ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
					let _ = error.print();
					ExitCode::from(EXIT_USAGE)
				},
				_ => {
					eprintln!(
						"gpow-ssk: error: {} (see gpow-ssk --help)",
						one_line(&usage_error(&error), 500)
					);
					ExitCode::from(EXIT_USAGE)
				},
			};
		},
	};
	match run(cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(message) => {
			eprintln!("gpow-ssk: error: {}", one_line(&message, 1000));
			ExitCode::from(EXIT_FAILURE)
		},
	}
}
