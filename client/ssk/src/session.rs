//! Traffic protection with an SSK: per-direction keys, a forward-secure per-message key ratchet,
//! AES-256-GCM frames with replay and reordering protection.
//!
//! See the crate documentation, section "Traffic", for the exact derivation and frame format.

use aes_gcm::{
	aead::{consts::U12, AeadInPlace, KeyInit},
	AesGcm, Key, Nonce, Tag,
};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::{
	envelope::{take, Binding},
	keys::Ssk,
	Error, Result,
};

/// AES-256-GCM with a 96-bit nonce, on the `aes` crate's hardware-dispatching `Aes256` (AES-NI /
/// ARMv8 when present, constant-time software otherwise; round keys erased on drop).
type TrafficCipher = AesGcm<aes::Aes256, U12>;

/// Version byte of the traffic frame format described in the crate documentation.
pub const FRAME_VERSION: u8 = 1;
/// Length of a frame header: version (1) + epoch (8) + counter (8).
pub const FRAME_HEADER_LEN: usize = 17;
/// Length of the AES-256-GCM tag closing every frame.
pub const FRAME_TAG_LEN: usize = 16;
/// Bytes a frame adds to its plaintext.
pub const FRAME_OVERHEAD: usize = FRAME_HEADER_LEN + FRAME_TAG_LEN;

/// Label of the traffic key derivation (HKDF salt and `info` prefix).
const TRAFFIC_LABEL: &[u8] = b"gpow-ssk-traffic-v1";
/// HKDF-Expand `info` of a spine step.
const SPINE_LABEL: &[u8] = b"gpow-ssk spine";
/// HKDF-Expand `info` of a tree node split.
const NODE_LABEL: &[u8] = b"gpow-ssk node";
/// Direction byte for initiator → responder traffic.
const DIR_INITIATOR_TO_RESPONDER: u8 = 0x01;
/// Direction byte for responder → initiator traffic.
const DIR_RESPONDER_TO_INITIATOR: u8 = 0x02;
/// Width of the window used to tell replays from late (reordered) frames.
const REPLAY_WINDOW: u64 = 64;

/// Which side of the envelope this endpoint is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
	/// The party that sealed and posted the envelope ([`Binding::sender`], A).
	Initiator,
	/// The party the envelope is for ([`Binding::receiver`], B).
	Responder,
}

/// The impossible HKDF length errors, mapped instead of panicking.
fn hkdf_length<E>(_: E) -> Error {
	Error::Malformed("internal: HKDF length")
}

/// `HKDF-Expand(prk, label, 64)` split into two 32-byte halves.
fn expand_pair(prk: &[u8; 32], label: &[u8]) -> Result<([u8; 32], [u8; 32])> {
	let hkdf = Hkdf::<Sha256>::from_prk(prk).map_err(hkdf_length)?;
	let mut okm = Zeroizing::new([0u8; 64]);
	hkdf.expand(label, okm.as_mut()).map_err(hkdf_length)?;
	let (first, rest) = take::<32>(okm.as_ref()).ok_or(Error::Malformed("internal: okm"))?;
	let (second, _) = take::<32>(rest).ok_or(Error::Malformed("internal: okm"))?;
	Ok((first, second))
}

/// A subtree of message keys: covers counters `start .. start + 2^height`.
#[derive(Clone, Copy, Default)]
struct Node {
	key: [u8; 32],
	start: u64,
	height: u32,
}

impl Node {
	fn covers(&self, counter: u64) -> bool {
		counter >= self.start && (counter - self.start) >> self.height == 0
	}
}

/// Maximum number of pending subtrees: one per level.
const MAX_NODES: usize = 64;

/// The forward-secure message-key ratchet of one direction.
///
/// Counters `2^k .. 2^(k+1)` form block `k`, a complete binary tree of depth `k` whose root is
/// the second half of spine step `k`. The state keeps only the next spine key and the roots of
/// the subtrees covering counters above the last one used, so every key of an earlier counter
/// is gone. Sequential use costs one HKDF-Expand per message on average; any jump ahead costs at
/// most 128.
#[derive(Clone)]
struct KeyTree {
	/// Spine key of block `next_block`.
	spine: [u8; 32],
	next_block: u32,
	/// Pending subtrees; the last one covers the lowest counters.
	nodes: [Node; MAX_NODES],
	len: usize,
}

impl Drop for KeyTree {
	fn drop(&mut self) {
		self.spine.zeroize();
		for node in self.nodes.iter_mut() {
			node.key.zeroize();
		}
	}
}

impl KeyTree {
	fn new(root: &[u8; 32]) -> Self {
		Self { spine: *root, next_block: 0, nodes: [Node::default(); MAX_NODES], len: 0 }
	}

	fn push(&mut self, node: Node) -> Result<()> {
		let slot = self.nodes.get_mut(self.len).ok_or(Error::Malformed("internal: key tree"))?;
		*slot = node;
		self.len += 1;
		Ok(())
	}

	/// Removes the last pending subtree, erasing its slot.
	fn pop(&mut self) -> Option<Node> {
		let index = self.len.checked_sub(1)?;
		let slot = self.nodes.get_mut(index)?;
		let node = *slot;
		slot.key.zeroize();
		self.len = index;
		Some(node)
	}

	fn last(&self) -> Option<&Node> {
		self.nodes.get(self.len.checked_sub(1)?)
	}

	/// The message key of `counter` (which must be above every counter asked before); erases
	/// every key of a lower counter.
	fn key_for(&mut self, counter: u64) -> Result<Zeroizing<[u8; 32]>> {
		let internal = Error::Malformed("internal: key tree");
		if counter == 0 {
			return Err(internal);
		}
		// Forget the subtrees that lie entirely below `counter`.
		while let Some(node) = self.last() {
			if node.covers(counter) {
				break;
			}
			if counter < node.start {
				return Err(internal);
			}
			self.pop();
		}
		if self.len == 0 {
			// Walk the spine to the block of `counter`, dropping the trees of skipped blocks.
			let block = 63 - counter.leading_zeros();
			if block < self.next_block {
				return Err(internal);
			}
			loop {
				let (next, mut tree) = expand_pair(&self.spine, SPINE_LABEL)?;
				self.spine = next;
				let this = self.next_block;
				self.next_block += 1;
				if this == block {
					self.push(Node { key: tree, start: 1u64 << block, height: block })?;
					tree.zeroize();
					break;
				}
				tree.zeroize();
			}
		}
		// Descend to the leaf, keeping the right-hand siblings for later counters.
		let mut node = self.pop().ok_or(Error::Malformed("internal: key tree"))?;
		while node.height > 0 {
			let (left, right) = expand_pair(&node.key, NODE_LABEL)?;
			node.key.zeroize();
			let height = node.height - 1;
			let middle = node
				.start
				.checked_add(1u64 << height)
				.ok_or(Error::Malformed("internal: key tree"))?;
			if counter < middle {
				self.push(Node { key: right, start: middle, height })?;
				node = Node { key: left, start: node.start, height };
			} else {
				let mut left = left;
				left.zeroize();
				node = Node { key: right, start: middle, height };
			}
		}
		let key = Zeroizing::new(node.key);
		node.key.zeroize();
		Ok(key)
	}
}

/// The 12-byte AEAD nonce of a counter: `counter (u64 LE) || 0u32`.
fn nonce_for(counter: u64) -> [u8; 12] {
	let mut nonce = [0u8; 12];
	let (low, _) = nonce.split_at_mut(8);
	low.copy_from_slice(&counter.to_le_bytes());
	nonce
}

/// The 17-byte frame header, which is also the AEAD associated data.
fn frame_header(epoch: u64, counter: u64) -> [u8; FRAME_HEADER_LEN] {
	let mut header = [0u8; FRAME_HEADER_LEN];
	let (version, rest) = header.split_at_mut(1);
	let (epoch_bytes, counter_bytes) = rest.split_at_mut(8);
	version.copy_from_slice(&[FRAME_VERSION]);
	epoch_bytes.copy_from_slice(&epoch.to_le_bytes());
	counter_bytes.copy_from_slice(&counter.to_le_bytes());
	header
}

/// Root key of one direction: `HKDF-Expand(HKDF-Extract(TRAFFIC_LABEL, K_S), TRAFFIC_LABEL ||
/// dir || genesis || from || to || epoch, 32)`.
fn direction_root(ssk: &Ssk, binding: &Binding, direction: u8) -> Result<Zeroizing<[u8; 32]>> {
	let (from, to) = match direction {
		DIR_INITIATOR_TO_RESPONDER => (&binding.sender, &binding.receiver),
		_ => (&binding.receiver, &binding.sender),
	};
	let hkdf = Hkdf::<Sha256>::new(Some(TRAFFIC_LABEL), ssk.as_bytes());
	let mut root = Zeroizing::new([0u8; 32]);
	hkdf.expand_multi_info(
		&[TRAFFIC_LABEL, &[direction], &binding.genesis, from, to, &binding.epoch.to_le_bytes()],
		root.as_mut(),
	)
	.map_err(hkdf_length)?;
	Ok(root)
}

/// The sending half of a [`Session`]: encrypts frames with counters 1, 2, 3, …
pub struct Outbound {
	epoch: u64,
	last: u64,
	tree: KeyTree,
}

impl Outbound {
	/// Epoch of the SSK this half uses.
	pub fn epoch(&self) -> u64 {
		self.epoch
	}

	/// Counter of the last frame produced (0 before the first).
	pub fn last_counter(&self) -> u64 {
		self.last
	}

	/// Encrypts `plaintext` into a frame written to `out` (cleared first; its allocation is
	/// reused). The message key is erased before this returns.
	pub fn encrypt_into(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> Result<()> {
		let counter = self.last.checked_add(1).ok_or(Error::CounterExhausted)?;
		let key = self.tree.key_for(counter)?;
		self.last = counter;
		let header = frame_header(self.epoch, counter);
		out.clear();
		out.reserve(FRAME_OVERHEAD + plaintext.len());
		out.extend_from_slice(&header);
		out.extend_from_slice(plaintext);
		let body = out.get_mut(FRAME_HEADER_LEN..).ok_or(Error::Malformed("internal: frame"))?;
		let cipher = TrafficCipher::new(Key::<TrafficCipher>::from_slice(key.as_ref()));
		let tag = cipher
			.encrypt_in_place_detached(Nonce::from_slice(&nonce_for(counter)), &header, body)
			.map_err(|_| Error::Malformed("message too long"))?;
		out.extend_from_slice(&tag);
		Ok(())
	}

	/// Encrypts `plaintext` into a new frame.
	pub fn encrypt(&mut self, plaintext: &[u8]) -> Result<Vec<u8>> {
		let mut out = Vec::new();
		self.encrypt_into(plaintext, &mut out)?;
		Ok(out)
	}
}

/// The receiving half of a [`Session`]: authenticates and decrypts frames, accepting only
/// counters above the last accepted one.
pub struct Inbound {
	epoch: u64,
	last: u64,
	/// Bit `i` set: counter `last - i` was accepted.
	window: u64,
	tree: KeyTree,
}

impl Inbound {
	/// Epoch of the SSK this half uses.
	pub fn epoch(&self) -> u64 {
		self.epoch
	}

	/// Highest counter accepted so far (0 before the first frame).
	pub fn last_counter(&self) -> u64 {
		self.last
	}

	/// Checks and decrypts `frame`, writing the plaintext to `out` (cleared first). On any error
	/// `out` is left empty and the state is unchanged, so a forged frame cannot desynchronise
	/// the session.
	pub fn decrypt_into(&mut self, frame: &[u8], out: &mut Vec<u8>) -> Result<()> {
		out.clear();
		let got = frame.len();
		if got < FRAME_OVERHEAD {
			return Err(Error::Truncated { needed: FRAME_OVERHEAD, got });
		}
		let truncated = Error::Truncated { needed: FRAME_OVERHEAD, got };
		let (header, rest) = take::<FRAME_HEADER_LEN>(frame).ok_or(truncated.clone())?;
		let ([version], fields) = take::<1>(&header).ok_or(truncated.clone())?;
		let (epoch, fields) = take::<8>(fields).ok_or(truncated.clone())?;
		let (counter, _) = take::<8>(fields).ok_or(truncated.clone())?;
		let (epoch, counter) = (u64::from_le_bytes(epoch), u64::from_le_bytes(counter));
		if version != FRAME_VERSION {
			return Err(Error::Malformed("unsupported frame version"));
		}
		if epoch != self.epoch {
			return Err(Error::OtherEpoch { expected: self.epoch, found: epoch });
		}
		if counter == 0 {
			return Err(Error::Malformed("frame counter 0 is reserved"));
		}
		if counter <= self.last {
			let age = self.last - counter;
			return Err(if age < REPLAY_WINDOW && (self.window >> age) & 1 == 1 {
				Error::Replayed { counter }
			} else {
				Error::Reordered { counter, last: self.last }
			});
		}
		let (body, tag) = rest
			.len()
			.checked_sub(FRAME_TAG_LEN)
			.and_then(|body_len| rest.split_at_checked(body_len))
			.ok_or(truncated)?;

		// Work on a copy of the ratchet and keep it only if the frame authenticates.
		let mut tree = self.tree.clone();
		let key = tree.key_for(counter)?;
		out.extend_from_slice(body);
		let cipher = TrafficCipher::new(Key::<TrafficCipher>::from_slice(key.as_ref()));
		if cipher
			.decrypt_in_place_detached(
				Nonce::from_slice(&nonce_for(counter)),
				&header,
				out,
				Tag::from_slice(tag),
			)
			.is_err()
		{
			out.clear();
			return Err(Error::TamperedFrame);
		}
		self.tree = tree;
		let advance = counter - self.last;
		self.window = if advance >= REPLAY_WINDOW { 0 } else { self.window << advance } | 1;
		self.last = counter;
		Ok(())
	}

	/// Checks and decrypts `frame` into a new buffer.
	pub fn decrypt(&mut self, frame: &[u8]) -> Result<Vec<u8>> {
		let mut out = Vec::new();
		self.decrypt_into(frame, &mut out)?;
		Ok(out)
	}
}

/// Both directions of the traffic between the two parties of an envelope, keyed by its SSK.
///
/// A and B each build one (`Role::Initiator` for A, the envelope's sender, `Role::Responder` for
/// B) from the same SSK and [`Binding`]; what one encrypts, the other decrypts. Use
/// [`split`](Self::split) to send and receive from different threads.
pub struct Session {
	outbound: Outbound,
	inbound: Inbound,
}

impl Session {
	/// Derives the two direction keys from `ssk` and `binding` (genesis, parties, epoch).
	pub fn new(ssk: &Ssk, binding: &Binding, role: Role) -> Result<Self> {
		let (send_dir, recv_dir) = match role {
			Role::Initiator => (DIR_INITIATOR_TO_RESPONDER, DIR_RESPONDER_TO_INITIATOR),
			Role::Responder => (DIR_RESPONDER_TO_INITIATOR, DIR_INITIATOR_TO_RESPONDER),
		};
		let send_root = direction_root(ssk, binding, send_dir)?;
		let recv_root = direction_root(ssk, binding, recv_dir)?;
		Ok(Self {
			outbound: Outbound { epoch: binding.epoch, last: 0, tree: KeyTree::new(&send_root) },
			inbound: Inbound {
				epoch: binding.epoch,
				last: 0,
				window: 0,
				tree: KeyTree::new(&recv_root),
			},
		})
	}

	/// Epoch of the SSK.
	pub fn epoch(&self) -> u64 {
		self.outbound.epoch
	}

	/// Counter of the last frame this session encrypted (0 before the first).
	pub fn last_sent_counter(&self) -> u64 {
		self.outbound.last
	}

	/// Highest counter this session accepted (0 before the first frame).
	pub fn last_received_counter(&self) -> u64 {
		self.inbound.last
	}

	/// See [`Outbound::encrypt`].
	pub fn encrypt(&mut self, plaintext: &[u8]) -> Result<Vec<u8>> {
		self.outbound.encrypt(plaintext)
	}

	/// See [`Outbound::encrypt_into`].
	pub fn encrypt_into(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> Result<()> {
		self.outbound.encrypt_into(plaintext, out)
	}

	/// See [`Inbound::decrypt`].
	pub fn decrypt(&mut self, frame: &[u8]) -> Result<Vec<u8>> {
		self.inbound.decrypt(frame)
	}

	/// See [`Inbound::decrypt_into`].
	pub fn decrypt_into(&mut self, frame: &[u8], out: &mut Vec<u8>) -> Result<()> {
		self.inbound.decrypt_into(frame, out)
	}

	/// Splits into the sending and the receiving half.
	pub fn split(self) -> (Outbound, Inbound) {
		(self.outbound, self.inbound)
	}
}

/// Version byte of the serialized [`Session`] state ([`Session::export_state`]).
pub const SESSION_STATE_VERSION: u8 = 1;

/// Largest serialized [`Session`] state: version, epoch, and per direction a counter (plus the
/// inbound replay window) and a ratchet of at most 64 pending subtrees.
pub const SESSION_STATE_MAX_LEN: usize = 1 + 8 + 2 * (8 + 32 + 2 + MAX_NODES * (8 + 1 + 32)) + 8;

/// Error for a serialized state that does not describe a valid ratchet.
const BAD_STATE: Error = Error::Malformed("invalid session state");

/// Reads a serialized state front to back; a short read reports how many bytes were needed.
struct StateReader<'a> {
	bytes: &'a [u8],
	offset: usize,
}

impl StateReader<'_> {
	fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
		let got = self.bytes.len();
		let needed = self.offset.saturating_add(N);
		let rest = self.bytes.get(self.offset..).ok_or(Error::Truncated { needed, got })?;
		let (value, _) = take::<N>(rest).ok_or(Error::Truncated { needed, got })?;
		self.offset = needed;
		Ok(value)
	}

	fn u8(&mut self) -> Result<u8> {
		let [byte] = self.take::<1>()?;
		Ok(byte)
	}

	fn u64(&mut self) -> Result<u64> {
		Ok(u64::from_le_bytes(self.take::<8>()?))
	}
}

impl KeyTree {
	/// Appends `spine || next_block (u8) || n (u8) || n * (start (u64 LE) || height (u8) ||
	/// key)`, pending subtrees in stack order (the last one covers the lowest counters).
	fn export_into(&self, out: &mut Vec<u8>) {
		out.extend_from_slice(&self.spine);
		// Both are at most 64: checked on import and kept so by `key_for`.
		out.push(self.next_block as u8);
		out.push(self.len as u8);
		for node in self.nodes.iter().take(self.len) {
			out.extend_from_slice(&node.start.to_le_bytes());
			out.push(node.height as u8);
			out.extend_from_slice(&node.key);
		}
	}

	/// Reads what [`export_into`](Self::export_into) wrote, for a direction whose last used
	/// counter is `last`, and checks the invariant `key_for` keeps: the pending subtrees are
	/// aligned subtrees of their blocks and tile exactly the counters from `last + 1` to the
	/// end of the last block walked on the spine (`2^next_block - 1`).
	fn import(reader: &mut StateReader<'_>, last: u64) -> Result<Self> {
		let spine = Zeroizing::new(reader.take::<32>()?);
		let next_block = u32::from(reader.u8()?);
		let len = usize::from(reader.u8()?);
		if next_block > 64 || len > MAX_NODES {
			return Err(BAD_STATE);
		}
		let mut tree = KeyTree::new(&spine);
		tree.next_block = next_block;
		for _ in 0..len {
			let start = reader.u64()?;
			let height = u32::from(reader.u8()?);
			let key = Zeroizing::new(reader.take::<32>()?);
			tree.push(Node { key: *key, start, height })?;
		}
		// From the lowest counters (the top of the stack) up: each subtree starts right after
		// the previous one ends. `None` stands for 2^64, one past `u64::MAX`.
		let mut expected = last.checked_add(1);
		for node in tree.nodes.iter().take(tree.len).rev() {
			let aligned = node.height <= 63
				&& node.start != 0
				&& node.start.trailing_zeros() >= node.height
				&& node.height <= 63 - node.start.leading_zeros();
			if !aligned || expected != Some(node.start) {
				return Err(BAD_STATE);
			}
			expected = node.start.checked_add(1u64 << node.height);
		}
		if expected != 1u64.checked_shl(next_block) {
			return Err(BAD_STATE);
		}
		Ok(tree)
	}
}

impl Session {
	/// Serializes the whole state of the session, for storage between runs of a program (the
	/// `gpow-ssk` tool keeps it in its `--state` file).
	///
	/// Format ([`SESSION_STATE_VERSION`] = 1): `version || epoch (u64 LE) || outbound last
	/// counter (u64 LE) || outbound ratchet || inbound last counter (u64 LE) || inbound replay
	/// window (u64 LE) || inbound ratchet`, a ratchet being `spine key (32) || next block (u8)
	/// || n (u8) || n * (start (u64 LE) || height (u8) || subtree key (32))`, `n <= 64`: at
	/// most 5,349 bytes, a few hundred in practice.
	///
	/// The state holds the ratchet keys of *later* messages only, neither `K_S` nor any key
	/// already used or skipped, so keeping it instead of the SSK keeps the ratchet's forward
	/// secrecy. It is secret all the same (it decrypts every later message), and it must never
	/// be replaced by an older copy: an older outbound state would encrypt two messages with the
	/// same key and nonce, and an older inbound state would accept replays. The returned buffer
	/// is erased when dropped.
	pub fn export_state(&self) -> Zeroizing<Vec<u8>> {
		let mut out = Zeroizing::new(Vec::with_capacity(SESSION_STATE_MAX_LEN));
		out.push(SESSION_STATE_VERSION);
		out.extend_from_slice(&self.outbound.epoch.to_le_bytes());
		out.extend_from_slice(&self.outbound.last.to_le_bytes());
		self.outbound.tree.export_into(&mut out);
		out.extend_from_slice(&self.inbound.last.to_le_bytes());
		out.extend_from_slice(&self.inbound.window.to_le_bytes());
		self.inbound.tree.export_into(&mut out);
		out
	}

	/// Restores a session from [`export_state`](Self::export_state). Refuses, without
	/// panicking, anything that is not a valid state: [`Error::Truncated`] if it ends early,
	/// [`Error::Malformed`] for an unknown version, trailing bytes or a ratchet that breaks an
	/// invariant. It cannot tell an *older* valid state from the current one; see
	/// [`export_state`](Self::export_state).
	pub fn import_state(bytes: &[u8]) -> Result<Self> {
		let mut reader = StateReader { bytes, offset: 0 };
		if reader.u8()? != SESSION_STATE_VERSION {
			return Err(Error::Malformed("unsupported session state version"));
		}
		let epoch = reader.u64()?;
		let out_last = reader.u64()?;
		let out_tree = KeyTree::import(&mut reader, out_last)?;
		let in_last = reader.u64()?;
		let window = reader.u64()?;
		// Bit 0 of the window is the last accepted counter itself: set iff one was accepted.
		if (in_last == 0) != (window & 1 == 0) {
			return Err(BAD_STATE);
		}
		let in_tree = KeyTree::import(&mut reader, in_last)?;
		if reader.offset != bytes.len() {
			return Err(Error::Malformed("trailing bytes after the session state"));
		}
		Ok(Self {
			outbound: Outbound { epoch, last: out_last, tree: out_tree },
			inbound: Inbound { epoch, last: in_last, window, tree: in_tree },
		})
	}
}

impl core::fmt::Debug for Outbound {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Outbound")
			.field("epoch", &self.epoch)
			.field("last_counter", &self.last)
			.finish_non_exhaustive()
	}
}

impl core::fmt::Debug for Inbound {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Inbound")
			.field("epoch", &self.epoch)
			.field("last_counter", &self.last)
			.finish_non_exhaustive()
	}
}

impl core::fmt::Debug for Session {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Session")
			.field("outbound", &self.outbound)
			.field("inbound", &self.inbound)
			.finish()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Derives the key of `counter` directly from the root, by definition.
	fn reference_key(root: &[u8; 32], counter: u64) -> [u8; 32] {
		let block = 63 - counter.leading_zeros();
		let mut spine = *root;
		let mut tree = [0u8; 32];
		for _ in 0..=block {
			let (next, t) = expand_pair(&spine, SPINE_LABEL).unwrap();
			spine = next;
			tree = t;
		}
		let index = counter - (1u64 << block);
		let mut node = tree;
		for level in (0..block).rev() {
			let (left, right) = expand_pair(&node, NODE_LABEL).unwrap();
			node = if (index >> level) & 1 == 0 { left } else { right };
		}
		node
	}

	#[test]
	fn key_tree_matches_definition_sequential_and_with_jumps() {
		let root = [7u8; 32];
		let mut tree = KeyTree::new(&root);
		let mut counters: Vec<u64> = (1..=70).collect();
		counters.extend([71, 100, 127, 128, 1000, 1 << 20, (1 << 20) + 1]);
		counters.extend([
			1 << 62,
			u64::MAX / 3,
			(1 << 63) - 1,
			1 << 63,
			(1 << 63) + 5,
			u64::MAX - 1,
			u64::MAX,
		]);
		for counter in counters {
			let key = tree.key_for(counter).unwrap();
			assert_eq!(*key, reference_key(&root, counter), "counter {counter}");
		}
	}

	#[test]
	fn key_tree_refuses_going_back() {
		let mut tree = KeyTree::new(&[1u8; 32]);
		tree.key_for(10).unwrap();
		assert!(tree.key_for(10).is_err());
		assert!(tree.key_for(3).is_err());
		assert!(tree.key_for(11).is_ok());
	}

	#[test]
	fn counter_exhausted_after_u64_max_and_receiver_jumps_there() {
		let ssk = Ssk::from_bytes([3u8; 32]);
		let binding = Binding { genesis: [1; 32], sender: [2; 32], receiver: [3; 32], epoch: 4 };
		let (mut out, _) = Session::new(&ssk, &binding, Role::Initiator).unwrap().split();
		let (_, mut inb) = Session::new(&ssk, &binding, Role::Responder).unwrap().split();
		out.last = u64::MAX - 1;
		let frame = out.encrypt(b"last").unwrap();
		assert_eq!(inb.decrypt(&frame).unwrap(), b"last");
		assert_eq!(inb.last_counter(), u64::MAX);
		assert_eq!(out.encrypt(b"x").unwrap_err(), Error::CounterExhausted);
		assert_eq!(out.last_counter(), u64::MAX);
	}

	#[test]
	fn key_tree_state_stays_small() {
		let mut tree = KeyTree::new(&[2u8; 32]);
		tree.key_for((1 << 63) + 1).unwrap();
		assert!(tree.len <= MAX_NODES);
		tree.key_for(u64::MAX).unwrap();
		assert_eq!(tree.len, 0);
	}
}
