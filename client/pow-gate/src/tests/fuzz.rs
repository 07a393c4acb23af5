//! Fuzz-style test of the frame decoder and the machine's input path: 100,000 seeded random
//! inputs, none may panic, every outcome must be a message, "need more", or a clean error.

use super::{harness::*, wire::samples};
use crate::wire::{encode_frame, FrameDecoder, FrameError, HANDSHAKE_MAX_FRAME};

/// SplitMix64: a tiny seeded PRNG, enough to generate inputs reproducibly.
struct SplitMix(u64);

impl SplitMix {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
	fn bytes(&mut self, n: usize) -> Vec<u8> {
		(0..n).map(|_| self.next() as u8).collect()
	}
}

const INPUTS: u64 = 100_000;

fn input(rng: &mut SplitMix, valid: &[Vec<u8>]) -> Vec<u8> {
	match rng.below(5) {
		// Pure noise.
		0 => {
			let n = rng.below(300) as usize;
			rng.bytes(n)
		},
		// A plausible header (small length, right version) and noise.
		1 => {
			let len = rng.below(200) as u32;
			let mut v = len.to_be_bytes().to_vec();
			v.push(1);
			let n = rng.below(len as u64 + 8) as usize;
			v.extend(rng.bytes(n));
			v
		},
		// A valid frame with a few bytes flipped.
		2 => {
			let mut v = valid[rng.below(valid.len() as u64) as usize].clone();
			for _ in 0..=rng.below(4) {
				let i = rng.below(v.len() as u64) as usize;
				v[i] ^= 1 << rng.below(8);
			}
			v
		},
		// A valid frame cut short or extended.
		3 => {
			let mut v = valid[rng.below(valid.len() as u64) as usize].clone();
			if rng.below(2) == 0 {
				v.truncate(rng.below(v.len() as u64) as usize);
			} else {
				let n = rng.below(40) as usize;
				v.extend(rng.bytes(n));
			}
			v
		},
		// Several valid frames, one of them corrupted, glued together.
		_ => {
			let mut v = Vec::new();
			for _ in 0..=rng.below(4) {
				v.extend(&valid[rng.below(valid.len() as u64) as usize]);
			}
			let i = rng.below(v.len() as u64) as usize;
			v[i] = rng.next() as u8;
			v
		},
	}
}

#[test]
fn frame_decoder_survives_100k_random_inputs() {
	let valid: Vec<Vec<u8>> = samples().iter().map(encode_frame).collect();
	let mut rng = SplitMix(0x5eed_0f9a_7e00);
	let (mut messages, mut errors, mut pending) = (0u64, 0u64, 0u64);
	for _ in 0..INPUTS {
		let data = input(&mut rng, &valid);
		let max = if rng.below(2) == 0 { HANDSHAKE_MAX_FRAME } else { 1 << 20 };
		let mut d = FrameDecoder::new(max);
		// Deliver in random chunks.
		let mut rest = &data[..];
		let mut failed = false;
		while !rest.is_empty() && !failed {
			let k = (rng.below(rest.len() as u64) + 1) as usize;
			d.push(&rest[..k]);
			rest = &rest[k..];
			loop {
				match d.next_message() {
					Ok(Some(_)) => messages += 1,
					Ok(None) => break,
					Err(e) => {
						assert!(!matches!(e, FrameError::Truncated { .. }));
						errors += 1;
						failed = true;
						break;
					},
				}
			}
			// Never holds more than one frame plus the last chunk.
			assert!(d.buffered() <= 4 + max as usize + k);
		}
		if !failed && d.finish().is_err() {
			pending += 1;
		}
	}
	assert!(
		messages > 10_000 && errors > 10_000 && pending > 1_000,
		"{messages} {errors} {pending}"
	);
}

#[test]
fn machine_survives_random_inputs() {
	// The same inputs through a responder's and an initiator's connections: every input ends
	// in a close, a reply, or waiting; never a panic.
	let valid: Vec<Vec<u8>> = samples().iter().map(encode_frame).collect();
	let mut rng = SplitMix(0xfa11_ba11);
	let mut b = machine(2, test_config());
	let mut a = machine(1, test_config());
	for i in 0..10_000u64 {
		let data = input(&mut rng, &valid);
		let now = T0 + i;
		let remote = addr(&format!("10.1.{}.{}:{}", (i >> 8) & 255, i & 255, 1000 + i % 50_000));
		let c = b.accept(now, addr("10.0.0.2:30333"), remote);
		b.on_bytes(now, c, &data);
		b.on_transport_closed(c);
		let c = a.connect(now, addr("10.0.0.1:40000"), remote, None);
		a.on_bytes(now, c, &data);
		a.on_transport_closed(c);
		drain(&mut a);
		drain(&mut b);
	}
	assert_eq!(b.stats().connections, 0);
	assert_eq!(a.stats().connections, 0);
}
