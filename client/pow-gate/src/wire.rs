//! Wire format: the five messages, SCALE-encoded, in length-prefixed, versioned frames.
//!
//! ```text
//! frame = length: u32 big-endian | version: u8 (= 1) | SCALE(Message)
//! ```
//!
//! `length` counts the version byte and the message, so it is at least 1. A decoder refuses a
//! frame as soon as its length header exceeds the limit in force (a small one before the
//! handshake completes, [`HANDSHAKE_MAX_FRAME`]), without buffering it; it refuses an unknown
//! version and a message that does not decode to exactly the frame's bytes.

use crate::attest::{KeepPow, SignedKeepChall};
use codec::{Decode, Encode};
use std::net::{IpAddr, SocketAddr};

pub use crate::attest::GateId;

/// The only protocol version this crate speaks.
pub const PROTOCOL_VERSION: u8 = 1;
/// Length of the frame header (the big-endian `u32` length).
pub const FRAME_HEADER_LEN: usize = 4;
/// Frame size limit (version byte + message) before a connection is established. The largest
/// handshake message, a `CONN_INIT` proof, is 159 bytes.
pub const HANDSHAKE_MAX_FRAME: u32 = 512;

/// A transport endpoint as both sides name it: IP address and port.
///
/// IPv4-mapped IPv6 addresses are folded to IPv4 ([`Endpoint::from`]), so a dual-stack
/// listener and an IPv4 dialer agree on the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode)]
pub enum Endpoint {
	/// IPv4 address and port.
	#[codec(index = 4)]
	V4([u8; 4], u16),
	/// IPv6 address and port.
	#[codec(index = 6)]
	V6([u8; 16], u16),
}

impl From<SocketAddr> for Endpoint {
	fn from(addr: SocketAddr) -> Self {
		match addr.ip().to_canonical() {
			IpAddr::V4(ip) => Endpoint::V4(ip.octets(), addr.port()),
			IpAddr::V6(ip) => Endpoint::V6(ip.octets(), addr.port()),
		}
	}
}

impl From<Endpoint> for SocketAddr {
	fn from(e: Endpoint) -> Self {
		match e {
			Endpoint::V4(ip, port) => SocketAddr::from((ip, port)),
			Endpoint::V6(ip, port) => SocketAddr::from((ip, port)),
		}
	}
}

impl Endpoint {
	/// Appends a fixed, unambiguous encoding (the SCALE one) to `out`.
	pub fn write_to(&self, out: &mut Vec<u8>) {
		self.encode_to(out);
	}
}

/// The cookie a responder hands out with a challenge: everything it needs to check the answer
/// later, authenticated under its secret, so it stores nothing per stranger.
///
/// `tag = blake2b-128(key = secret[key_id], key_id ++ challenge ++ initiator ++ responder ++
/// issued_at ++ effort)`; see [`crate::cookie`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Cookie {
	/// Which secret made the tag (the responder keeps the current and the previous one).
	pub key_id: u32,
	/// When the responder issued it, unix milliseconds (its own clock).
	pub issued_at: u64,
	/// The difficulty (expected hashes) the responder demands for this challenge.
	pub effort: u64,
	/// The MAC.
	pub tag: [u8; 16],
}

/// `CONN_CHALL`: a challenge, its cookie, and the endpoints as the responder sees them (the
/// initiator computes the pre-image from these, so NAT does not break the handshake).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ConnChall {
	/// Random challenge bytes.
	pub challenge: [u8; 16],
	/// The authenticated state of the challenge.
	pub cookie: Cookie,
	/// The initiator's address as the responder sees it.
	pub initiator: Endpoint,
	/// The responder's own address on this connection.
	pub responder: Endpoint,
}

/// The proof half of `CONN_INIT`: the challenge and cookie back, a nonce, and the initiator's
/// identity with its signature over the handshake transcript ([`crate::cookie::init_transcript`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ConnProof {
	/// The challenge from `CONN_CHALL`.
	pub challenge: [u8; 16],
	/// The cookie from `CONN_CHALL`, unchanged.
	pub cookie: Cookie,
	/// The nonce whose work over the connection pre-image meets `cookie.effort`.
	pub nonce: u64,
	/// The initiator's gate identity.
	pub identity: GateId,
	/// The initiator's signature over the transcript.
	pub signature: [u8; 64],
}

/// `CONN_INIT`: either a request for a challenge or a proof of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum ConnInit {
	/// "Give me a challenge."
	#[codec(index = 0)]
	Request,
	/// "Here is my work."
	#[codec(index = 1)]
	Proof(ConnProof),
}

/// `CONN_OK`: the responder accepts; carries its identity and its signature over the
/// transcript ([`crate::cookie::ok_transcript`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ConnOk {
	/// The responder's gate identity.
	pub identity: GateId,
	/// The responder's signature over the transcript.
	pub signature: [u8; 64],
}

/// The five messages of the protocol.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Message {
	/// `CONN_INIT` (initiator → responder).
	#[codec(index = 0)]
	ConnInit(ConnInit),
	/// `CONN_CHALL` (responder → initiator).
	#[codec(index = 1)]
	ConnChall(ConnChall),
	/// `CONN_OK` (responder → initiator).
	#[codec(index = 2)]
	ConnOk(ConnOk),
	/// `KEEP_CHALL` (every established peer, each round).
	#[codec(index = 3)]
	KeepChall(SignedKeepChall),
	/// `KEEP_POW` (every established peer, each round).
	#[codec(index = 4)]
	KeepPow(KeepPow),
}

impl Message {
	/// The protocol name of the message, for logs.
	pub fn name(&self) -> &'static str {
		match self {
			Message::ConnInit(ConnInit::Request) => "CONN_INIT(request)",
			Message::ConnInit(ConnInit::Proof(_)) => "CONN_INIT(proof)",
			Message::ConnChall(_) => "CONN_CHALL",
			Message::ConnOk(_) => "CONN_OK",
			Message::KeepChall(_) => "KEEP_CHALL",
			Message::KeepPow(_) => "KEEP_POW",
		}
	}
}

/// Encodes `msg` as one frame: `len_be ++ version ++ SCALE(msg)`.
pub fn encode_frame(msg: &Message) -> Vec<u8> {
	let mut out = Vec::with_capacity(FRAME_HEADER_LEN + 1 + msg.size_hint());
	out.extend_from_slice(&[0, 0, 0, 0, PROTOCOL_VERSION]);
	msg.encode_to(&mut out);
	let len = (out.len() - FRAME_HEADER_LEN) as u32;
	out[..FRAME_HEADER_LEN].copy_from_slice(&len.to_be_bytes());
	out
}

/// Why a byte stream is refused. Every variant closes the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameError {
	/// The length header announces more than the limit in force.
	Oversized {
		/// Announced length.
		len: u32,
		/// Limit in force.
		max: u32,
	},
	/// A frame of length 0 (no version byte).
	Empty,
	/// A version this crate does not speak.
	UnknownVersion(u8),
	/// The payload is not exactly one SCALE-encoded [`Message`].
	Malformed,
	/// The stream ended inside a frame.
	Truncated {
		/// Bytes of the incomplete frame that had arrived.
		buffered: usize,
	},
}

impl std::fmt::Display for FrameError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			FrameError::Oversized { len, max } => {
				write!(f, "oversized frame: {len} bytes announced, limit {max}")
			},
			FrameError::Empty => write!(f, "empty frame (no version byte)"),
			FrameError::UnknownVersion(v) => write!(f, "unknown frame version {v}"),
			FrameError::Malformed => write!(f, "garbage frame: payload is not one message"),
			FrameError::Truncated { buffered } => {
				write!(f, "truncated frame: stream ended with {buffered} bytes of a frame")
			},
		}
	}
}

impl std::error::Error for FrameError {}

/// Incremental frame decoder: push bytes as they arrive, pull whole messages.
///
/// It never holds more than one frame (limit + header) plus the last pushed chunk, and fails
/// permanently after the first error.
#[derive(Debug)]
pub struct FrameDecoder {
	buf: Vec<u8>,
	start: usize,
	max_frame: u32,
	failed: bool,
}

impl FrameDecoder {
	/// A decoder refusing frames longer than `max_frame` (version byte + message).
	pub fn new(max_frame: u32) -> Self {
		FrameDecoder { buf: Vec::new(), start: 0, max_frame, failed: false }
	}

	/// Changes the limit (e.g. raises it once the handshake is done).
	pub fn set_max_frame(&mut self, max_frame: u32) {
		self.max_frame = max_frame;
	}

	/// The limit in force.
	pub fn max_frame(&self) -> u32 {
		self.max_frame
	}

	/// Bytes received but not yet decoded.
	pub fn buffered(&self) -> usize {
		self.buf.len() - self.start
	}

	/// Heap bytes held.
	pub fn capacity(&self) -> usize {
		self.buf.capacity()
	}

	/// Appends received bytes.
	pub fn push(&mut self, bytes: &[u8]) {
		if self.failed {
			return;
		}
		if self.start == self.buf.len() {
			self.buf.clear();
			self.start = 0;
		} else if self.start > 0 && self.start >= self.buf.len() / 2 {
			self.buf.drain(..self.start);
			self.start = 0;
		}
		self.buf.extend_from_slice(bytes);
	}

	/// The next complete message, `Ok(None)` if more bytes are needed, or the error that ends
	/// the stream.
	pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
		if self.failed {
			return Err(FrameError::Malformed);
		}
		let result = self.next_inner();
		if result.is_err() {
			self.failed = true;
			self.buf = Vec::new();
			self.start = 0;
		}
		result
	}

	fn next_inner(&mut self) -> Result<Option<Message>, FrameError> {
		let avail = &self.buf[self.start..];
		if avail.len() < FRAME_HEADER_LEN {
			return Ok(None);
		}
		let len = u32::from_be_bytes([avail[0], avail[1], avail[2], avail[3]]);
		if len > self.max_frame {
			return Err(FrameError::Oversized { len, max: self.max_frame });
		}
		if len == 0 {
			return Err(FrameError::Empty);
		}
		let total = FRAME_HEADER_LEN + len as usize;
		if avail.len() < total {
			return Ok(None);
		}
		let version = avail[FRAME_HEADER_LEN];
		if version != PROTOCOL_VERSION {
			return Err(FrameError::UnknownVersion(version));
		}
		let mut payload = &avail[FRAME_HEADER_LEN + 1..total];
		let msg = Message::decode(&mut payload).map_err(|_| FrameError::Malformed)?;
		if !payload.is_empty() {
			return Err(FrameError::Malformed);
		}
		self.start += total;
		Ok(Some(msg))
	}

	/// Call when the stream ends: an error if it ended inside a frame.
	pub fn finish(&self) -> Result<(), FrameError> {
		match self.buffered() {
			0 => Ok(()),
			buffered if !self.failed => Err(FrameError::Truncated { buffered }),
			_ => Ok(()),
		}
	}
}
