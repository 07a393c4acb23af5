//! # GPoW PoW gate
//!
//! A gate in front of a peer-to-peer node: before a node (the *responder*, B) accepts a
//! connection from another (the *initiator*, A), A must prove work; once connected, every peer
//! proves, every round, that it keeps spending work on all its connections, or its peers drop
//! it. The work is GPoW's linear BLAKE2b work from `gpow-primitives-pow`.
//!
//! ## The protocol in plain words
//!
//! **Connecting.** A opens a TCP connection to B and sends `CONN_INIT(request)`. B draws a
//! random challenge and answers `CONN_CHALL` with the challenge, the effort it demands, a
//! timestamp and a *cookie*: a MAC, under a secret only B knows, over the challenge, both
//! endpoints of the connection, the timestamp and the effort. B remembers nothing about A: the
//! cookie carries the state. A finds a nonce whose work over
//! `blake2_256(challenge, endpoints, timestamp)` meets the effort and sends
//! `CONN_INIT(proof)`: challenge, cookie, nonce, and its identity (an ed25519 public key) with a
//! signature over the cookie. B checks, in this order and touching no state: the MAC (constant
//! time; current or previous secret), the cookie's age, the work (one hash), then the
//! signature, then records the cookie in a bounded replay cache. If everything holds B answers
//! `CONN_OK` with its own identity and signature; otherwise it closes the connection. A can also
//! send a `CONN_INIT(proof)` as its very first message if it already holds a cookie valid for
//! the same pair of endpoints.
//!
//! **Staying connected.** Time is cut into rounds on a global clock: round `r` starts at unix
//! time `r * period`. At the start of a round every gate sends each peer a `KEEP_CHALL`: the
//! round, its identity, the peer's identity and fresh random salt, signed. For a *window* it
//! collects the challenges its peers send it; then it proves **one** piece of work over all of
//! them (`effort_per_challenge` times their number) and sends the resulting `KEEP_POW` (the
//! round, the prover, the sorted signed challenges and the nonce) to all its peers. A peer
//! whose `KEEP_POW` leaves out our challenge, fails the effort, is invalid, or has not arrived
//! by the round's deadline is disconnected. A `KEEP_POW` is self-contained and verifiable by
//! anyone ([`attest`]), so the node can also submit it on chain as an attestation.
//!
//! ## Message formats
//!
//! Frames: `u32` big-endian length, version byte `1`, SCALE-encoded [`Message`]. The length
//! counts the version byte and the message; before the handshake completes it may not exceed
//! [`wire::HANDSHAKE_MAX_FRAME`] (512), afterwards [`GateConfig::max_frame_len`].
//!
//! | message | index | fields (SCALE) |
//! | --- | --- | --- |
//! | `CONN_INIT` | 0 | `Request` (0) or `Proof` (1): `challenge [u8;16]`, `cookie`, `nonce u64`, `identity [u8;32]`, `signature [u8;64]` |
//! | `CONN_CHALL` | 1 | `challenge [u8;16]`, `cookie`, `initiator Endpoint`, `responder Endpoint` |
//! | `CONN_OK` | 2 | `identity [u8;32]`, `signature [u8;64]` |
//! | `KEEP_CHALL` | 3 | `round u64`, `issuer [u8;32]`, `addressee [u8;32]`, `salt [u8;16]`, `signature [u8;64]` |
//! | `KEEP_POW` | 4 | `round u64`, `prover [u8;32]`, `challenges Vec<KEEP_CHALL>`, `nonce u64` |
//!
//! `cookie = key_id u32, issued_at u64 (unix ms), effort u64, tag [u8;16]`;
//! `Endpoint = V4 (4): [u8;4], port u16 | V6 (6): [u8;16], port u16` (IPv4-mapped IPv6 folded
//! to IPv4). Hash constructions: [`cookie`] (cookie tag, connection pre-image, handshake
//! transcripts) and [`attest`] (keep-alive pre-image).
//!
//! ## Security notes
//!
//! - **Stateless until proven.** A workless `CONN_INIT` costs the responder one random draw and
//!   one MAC; a bad proof costs at most three BLAKE2b compressions (MAC, pre-image, work) before
//!   it is refused (the ed25519 check runs only after the work passed). The only per-connection
//!   memory before the proof is the TCP socket and a constant-size entry, capped by
//!   [`GateConfig::max_half_open`] and timed out.
//! - **Per-source fairness** ([`SourceLimitConfig`]): requests are metered per source (IPv4
//!   address or IPv6 /64) by token buckets in a fixed-size table; a request over its source's
//!   rate is closed without a cookie. Proofs are never metered. A source may hold at most
//!   `max_half_open_per_source` half-open connections, and when the half-open table is full the
//!   source holding the most loses its oldest, so a flood from few sources evicts its own
//!   connections rather than an honest client's that is still solving.
//! - **Cookies** bind challenge, both endpoints (address and port, as the responder sees
//!   them), timestamp, effort and key id under keyed BLAKE2b-128. They expire after
//!   [`GateConfig::cookie_lifetime_ms`]; secrets rotate every
//!   [`GateConfig::secret_rotation_ms`] (at least the lifetime), the previous secret stays
//!   valid, older ones are refused. Because the cookie binds the initiator's port, the proof
//!   must come from the same source address and port: in practice on the same TCP connection.
//! - **Replay**: a cookie is accepted once. The replay cache is bounded; when it is full of
//!   unexpired tags it **refuses** further proofs until the oldest expire, rather than forget
//!   tags (which would reopen replays). Filling it needs `replay_capacity` valid proofs within
//!   one cookie lifetime.
//! - **Effort** follows load that costs the gate (verified proofs, occupied connection slots)
//!   and decays back ([`effort`]); workless `CONN_INIT`s do not raise it, so a workless flood
//!   cannot tax honest clients. The cookie records the effort asked, so a rise does not
//!   invalidate challenges in flight. An initiator refuses to solve more than
//!   [`GateConfig::max_solve_effort`].
//! - **Identities** are proven at the handshake by signatures over the cookie tag, so a
//!   connection cannot claim someone else's key, and the `KEEP_CHALL`s a peer sends are
//!   checked against the identity it proved. When two gates end up with two connections to
//!   each other, both keep the one dialed by the smaller identity.
//! - **Keep-alive** needs loosely synchronized clocks: a challenge is accepted from `window`
//!   before its round starts until `window` after; proofs must arrive by `deadline`. The work
//!   commits to the round, the prover and every challenge (signatures included), so it cannot
//!   be reused across rounds, peers or sets of challenges; the random salt stops a prover from
//!   precomputing. Verification checks the work (one hash) before the `n` signatures. A round
//!   whose collection window has already passed when the gate gets to start it (a stall) is
//!   skipped rather than started late.
//! - **Framing**: lengths are checked before buffering; unknown versions, garbage, trailing
//!   bytes, truncation and out-of-order messages close the connection with a logged reason
//!   (target `pow-gate`); the decoder never panics (fuzzed in the tests).
//!
//! ## Layout
//!
//! - [`attest`]: `KEEP_CHALL` / `KEEP_POW` types and verification, re-exported from
//!   `gpow_primitives_pow::keep_pow` (`no_std`), where the chain's pallet takes them from: the
//!   runtime depends on no client crate.
//! - [`wire`]: frames and messages. [`cookie`]: cookies, pre-image, replay cache.
//!   [`effort`]: load-adaptive effort. [`source`]: per-source request buckets.
//!   [`machine`]: the sans-IO state machines.
//! - [`net`]: the tokio adapter ([`Gate`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

/// Keep-alive challenges and proofs (`KEEP_CHALL`, `KEEP_POW`) and their check: defined once, in
/// `gpow_primitives_pow::keep_pow`, which the chain uses too.
pub use gpow_primitives_pow::keep_pow as attest;

#[cfg(feature = "std")]
pub mod config;
#[cfg(feature = "std")]
pub mod cookie;
#[cfg(feature = "std")]
pub mod effort;
#[cfg(feature = "std")]
pub mod identity;
#[cfg(feature = "std")]
pub mod machine;
#[cfg(feature = "std")]
pub mod net;
#[cfg(feature = "std")]
pub mod source;
#[cfg(feature = "std")]
pub mod wire;

pub use attest::{GateId, KeepChall, KeepPow, KeepPowError, KeepPowParams, SignedKeepChall};
#[cfg(feature = "std")]
pub use config::{EffortConfig, GateConfig, KeepAliveConfig, SourceLimitConfig};
#[cfg(feature = "std")]
pub use identity::Identity;
#[cfg(feature = "std")]
pub use machine::{
	Action, CloseReason, ConnId, Direction, GateEvent, GateMachine, GateStats, SolveJob, LOG_TARGET,
};
#[cfg(feature = "std")]
pub use net::{DialError, Gate, GateEvents, PeerInfo};
#[cfg(feature = "std")]
pub use wire::Message;

#[cfg(all(test, feature = "std"))]
mod tests;
