//! Traffic protection: round trips, direction separation, ratchet behaviour and every frame error.

mod common;

use common::{fixed_binding, random};
use gpow_client_ssk::{
	Binding, Error, Role, Session, Ssk, FRAME_HEADER_LEN, FRAME_OVERHEAD, SESSION_STATE_MAX_LEN,
	SESSION_STATE_VERSION,
};

fn pair(binding: &Binding) -> (Session, Session) {
	let ssk = Ssk::from_bytes(random());
	(
		Session::new(&ssk, binding, Role::Initiator).unwrap(),
		Session::new(&ssk, binding, Role::Responder).unwrap(),
	)
}

#[test]
fn roundtrip_both_directions_various_sizes() {
	let (mut a, mut b) = pair(&fixed_binding());
	for size in [0usize, 1, 15, 16, 17, 1000, 65536, 100_000] {
		let message: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
		let frame = a.encrypt(&message).unwrap();
		assert_eq!(frame.len(), size + FRAME_OVERHEAD);
		assert_eq!(b.decrypt(&frame).unwrap(), message);
		let frame = b.encrypt(&message).unwrap();
		assert_eq!(a.decrypt(&frame).unwrap(), message);
	}
	let mut out = Vec::new();
	let mut plain = Vec::new();
	for i in 0..1000u32 {
		a.encrypt_into(&i.to_le_bytes(), &mut out).unwrap();
		b.decrypt_into(&out, &mut plain).unwrap();
		assert_eq!(plain, i.to_le_bytes());
	}
}

#[test]
fn frame_layout() {
	let (mut a, _) = pair(&fixed_binding());
	let first = a.encrypt(b"x").unwrap();
	let second = a.encrypt(b"x").unwrap();
	assert_eq!(first[0], 1, "version");
	assert_eq!(&first[1..9], &7u64.to_le_bytes(), "epoch");
	assert_eq!(&first[9..17], &1u64.to_le_bytes(), "counter starts at 1");
	assert_eq!(&second[9..17], &2u64.to_le_bytes());
	assert_ne!(&first[FRAME_HEADER_LEN..], &second[FRAME_HEADER_LEN..], "fresh key per message");
}

#[test]
fn directions_and_sessions_are_separated() {
	let binding = fixed_binding();
	let (mut a, mut b) = pair(&binding);
	let frame = a.encrypt(b"to B").unwrap();
	// Reflected back to its sender: A's inbound key is B→A, not A→B.
	assert_eq!(a.decrypt(&frame).unwrap_err(), Error::TamperedFrame);
	// Another SSK of the same epoch.
	let (_, mut stranger) = pair(&binding);
	assert_eq!(stranger.decrypt(&frame).unwrap_err(), Error::TamperedFrame);
	// Same SSK but another binding (genesis / parties).
	let ssk = Ssk::from_bytes([9; 32]);
	let mut a2 = Session::new(&ssk, &binding, Role::Initiator).unwrap();
	for other in [
		Binding { genesis: [0; 32], ..binding },
		Binding { sender: binding.receiver, receiver: binding.sender, ..binding },
	] {
		let mut b2 = Session::new(&ssk, &other, Role::Responder).unwrap();
		assert_eq!(b2.decrypt(&a2.encrypt(b"m").unwrap()).unwrap_err(), Error::TamperedFrame);
	}
	// Self-addressed (A == B): the two directions still differ.
	let me = Binding { receiver: binding.sender, ..binding };
	let mut s1 = Session::new(&ssk, &me, Role::Initiator).unwrap();
	let mut s2 = Session::new(&ssk, &me, Role::Responder).unwrap();
	let f1 = s1.encrypt(b"same").unwrap();
	let f2 = s2.encrypt(b"same").unwrap();
	assert_ne!(f1, f2);
	assert_eq!(s1.decrypt(&f1).unwrap_err(), Error::TamperedFrame);
	assert_eq!(s2.decrypt(&f1).unwrap(), b"same");
	// The legitimate receiver is unaffected by everything above.
	assert_eq!(b.decrypt(&frame).unwrap(), b"to B");
}

#[test]
fn error_replayed() {
	let (mut a, mut b) = pair(&fixed_binding());
	let f1 = a.encrypt(b"one").unwrap();
	let f2 = a.encrypt(b"two").unwrap();
	b.decrypt(&f1).unwrap();
	assert_eq!(b.decrypt(&f1).unwrap_err(), Error::Replayed { counter: 1 });
	b.decrypt(&f2).unwrap();
	assert_eq!(b.decrypt(&f1).unwrap_err(), Error::Replayed { counter: 1 });
	assert_eq!(b.decrypt(&f2).unwrap_err(), Error::Replayed { counter: 2 });
}

#[test]
fn error_reordered_and_gaps_allowed() {
	let (mut a, mut b) = pair(&fixed_binding());
	let frames: Vec<Vec<u8>> = (0..6u8).map(|i| a.encrypt(&[i]).unwrap()).collect();
	// Counter 2 arrives first: accepted (gap 1 skipped).
	assert_eq!(b.decrypt(&frames[1]).unwrap(), [1]);
	// Counter 1 arrives late: refused, its key is gone.
	assert_eq!(b.decrypt(&frames[0]).unwrap_err(), Error::Reordered { counter: 1, last: 2 });
	// Jump to counter 6 (gap 3..5).
	assert_eq!(b.decrypt(&frames[5]).unwrap(), [5]);
	assert_eq!(b.decrypt(&frames[3]).unwrap_err(), Error::Reordered { counter: 4, last: 6 });
	assert_eq!(b.decrypt(&frames[1]).unwrap_err(), Error::Replayed { counter: 2 });
	assert_eq!(b.decrypt(&frames[4]).unwrap_err(), Error::Reordered { counter: 5, last: 6 });
}

#[test]
fn error_other_epoch() {
	let binding = fixed_binding();
	let ssk = Ssk::from_bytes(random());
	let mut old_a = Session::new(&ssk, &binding, Role::Initiator).unwrap();
	let next = Binding { epoch: 8, ..binding };
	let mut b = Session::new(&ssk, &next, Role::Responder).unwrap();
	let frame = old_a.encrypt(b"old epoch").unwrap();
	assert_eq!(b.decrypt(&frame).unwrap_err(), Error::OtherEpoch { expected: 8, found: 7 });
	// Editing the epoch field does not help: the key and the AAD are epoch-bound.
	let mut edited = frame.clone();
	edited[1..9].copy_from_slice(&8u64.to_le_bytes());
	assert_eq!(b.decrypt(&edited).unwrap_err(), Error::TamperedFrame);
}

#[test]
fn error_tampered_frame_leaves_state_unchanged() {
	let (mut a, mut b) = pair(&fixed_binding());
	let frame = a.encrypt(b"attack at dawn").unwrap();
	for i in FRAME_HEADER_LEN..frame.len() {
		let mut bad = frame.clone();
		bad[i] ^= 0x04;
		assert_eq!(b.decrypt(&bad).unwrap_err(), Error::TamperedFrame, "byte {i}");
	}
	// A raised counter (a forged jump far ahead) fails and does not move the receiver.
	for counter in [2u64, 1000, 1 << 40, u64::MAX] {
		let mut bad = frame.clone();
		bad[9..17].copy_from_slice(&counter.to_le_bytes());
		assert_eq!(b.decrypt(&bad).unwrap_err(), Error::TamperedFrame);
	}
	// Cut short (but still longer than header + tag).
	assert_eq!(b.decrypt(&frame[..frame.len() - 1]).unwrap_err(), Error::TamperedFrame);
	let mut out = vec![1, 2, 3];
	assert_eq!(
		b.decrypt_into(&frame[..FRAME_OVERHEAD], &mut out).unwrap_err(),
		Error::TamperedFrame
	);
	assert!(out.is_empty(), "no unauthenticated output");
	assert_eq!(b.decrypt(&frame).unwrap(), b"attack at dawn");
}

#[test]
fn error_truncated_frame() {
	let (mut a, mut b) = pair(&fixed_binding());
	let frame = a.encrypt(b"hello").unwrap();
	for len in 0..FRAME_OVERHEAD {
		assert_eq!(
			b.decrypt(&frame[..len]).unwrap_err(),
			Error::Truncated { needed: FRAME_OVERHEAD, got: len }
		);
	}
	assert_eq!(b.decrypt(&frame).unwrap(), b"hello");
}

#[test]
fn error_malformed_frame() {
	let (mut a, mut b) = pair(&fixed_binding());
	let frame = a.encrypt(b"hello").unwrap();
	let mut bad = frame.clone();
	bad[0] = 2;
	assert!(matches!(b.decrypt(&bad), Err(Error::Malformed(_))));
	let mut bad = frame.clone();
	bad[9..17].copy_from_slice(&0u64.to_le_bytes());
	assert!(matches!(b.decrypt(&bad), Err(Error::Malformed(_))));
	assert_eq!(b.decrypt(&frame).unwrap(), b"hello");
}

#[test]
fn split_halves_work_across_threads() {
	let (a, b) = pair(&fixed_binding());
	let (mut a_out, mut a_in) = a.split();
	let (mut b_out, mut b_in) = b.split();
	let to_b = std::thread::spawn(move || {
		(0..100u32)
			.map(|i| a_out.encrypt(&i.to_le_bytes()).unwrap())
			.collect::<Vec<_>>()
	});
	let to_a = std::thread::spawn(move || {
		(0..100u32)
			.map(|i| b_out.encrypt(&(i + 1000).to_le_bytes()).unwrap())
			.collect::<Vec<_>>()
	});
	for (i, frame) in to_b.join().unwrap().iter().enumerate() {
		assert_eq!(b_in.decrypt(frame).unwrap(), (i as u32).to_le_bytes());
	}
	for (i, frame) in to_a.join().unwrap().iter().enumerate() {
		assert_eq!(a_in.decrypt(frame).unwrap(), (i as u32 + 1000).to_le_bytes());
	}
	assert_eq!(a_in.last_counter(), 100);
	assert_eq!(b_in.epoch(), 7);
}

#[test]
fn arbitrary_frames_never_panic() {
	let (mut a, mut b) = pair(&fixed_binding());
	let genuine = a.encrypt(&[0u8; 40]).unwrap();
	for round in 0..3000u32 {
		let [len_byte, pos, val] = random::<3>();
		let mut bytes = if round % 2 == 0 {
			let noise: [u8; 80] = random();
			noise[..usize::from(len_byte) % 80].to_vec()
		} else {
			genuine.clone()
		};
		let len = bytes.len().max(1);
		if let Some(byte) = bytes.get_mut(usize::from(pos) % len) {
			*byte ^= val | 1; // always changes the frame
		}
		if round % 7 == 0 {
			bytes.truncate(usize::from(val) % (FRAME_OVERHEAD + 8));
		}
		let _ = b.decrypt(&bytes);
	}
	assert_eq!(b.decrypt(&genuine).unwrap(), [0u8; 40]);
}

/// Exports and re-imports a session.
fn reload(session: &Session) -> Session {
	Session::import_state(&session.export_state()).unwrap()
}

#[test]
fn state_export_import_continues_the_session() {
	let binding = fixed_binding();
	let ssk = Ssk::from_bytes(random());
	let mut a = Session::new(&ssk, &binding, Role::Initiator).unwrap();
	let mut b = Session::new(&ssk, &binding, Role::Responder).unwrap();
	// A fresh session, then after sequential use and after jumps (gaps) in both directions.
	let mut sent = Vec::new();
	for (i, skip) in [0u32, 0, 3, 0, 60, 1, 0, 1000, 0, 0].into_iter().enumerate() {
		a = reload(&a);
		b = reload(&b);
		for _ in 0..skip {
			a.encrypt(b"lost").unwrap(); // never delivered: a gap for B
		}
		let frame = a.encrypt(&(i as u32).to_le_bytes()).unwrap();
		b = reload(&b);
		assert_eq!(b.decrypt(&frame).unwrap(), (i as u32).to_le_bytes());
		let reply = b.encrypt(b"ack").unwrap();
		a = reload(&a);
		assert_eq!(a.decrypt(&reply).unwrap(), b"ack");
		sent.push(frame);
		let state = b.export_state();
		assert!(state.len() <= SESSION_STATE_MAX_LEN);
		assert_eq!(state[0], SESSION_STATE_VERSION);
	}
	// Replays stay refused after a reload, old and recent.
	let mut b = reload(&b);
	assert_eq!(b.decrypt(&sent[9]).unwrap_err(), Error::Replayed { counter: 1074 });
	assert!(matches!(b.decrypt(&sent[0]).unwrap_err(), Error::Reordered { counter: 1, .. }));
	// The exported state does not contain the SSK.
	let state = a.export_state();
	assert!(!state.windows(32).any(|w| w == ssk.as_bytes()), "the SSK must not be in the state");
	assert_eq!(reload(&a).epoch(), binding.epoch);
}

#[test]
fn state_of_a_far_jump_reloads() {
	let (mut a, mut b) = pair(&fixed_binding());
	for _ in 0..5 {
		let frame = a.encrypt(b"x").unwrap();
		b.decrypt(&frame).unwrap();
	}
	// Counter 5 reached; reload at the largest pending trees the receiver can hold.
	let state = a.export_state();
	let b2 = reload(&b);
	assert_eq!(b2.export_state().as_slice(), b.export_state().as_slice(), "deterministic");
	let mut a2 = Session::import_state(&state).unwrap();
	let frame = a2.encrypt(b"after reload").unwrap();
	assert_eq!(reload(&b).decrypt(&frame).unwrap(), b"after reload");
}

#[test]
fn state_import_refuses_damage_without_panicking() {
	let (mut a, mut b) = pair(&fixed_binding());
	for _ in 0..9 {
		b.decrypt(&a.encrypt(b"m").unwrap()).unwrap();
	}
	let state = b.export_state().to_vec();
	// Every prefix is truncated.
	for len in 0..state.len() {
		assert!(
			matches!(Session::import_state(&state[..len]), Err(Error::Truncated { .. })),
			"prefix of {len} bytes"
		);
	}
	// Unknown version, trailing bytes.
	let mut bad = state.clone();
	bad[0] = 2;
	assert!(matches!(Session::import_state(&bad), Err(Error::Malformed(_))));
	let mut bad = state.clone();
	bad.push(0);
	assert!(matches!(Session::import_state(&bad), Err(Error::Malformed(_))));
	// Flipping any bit of the counters, heights, starts or sizes either breaks an invariant or
	// still describes some consistent ratchet; it never panics. Key bytes are not checkable.
	for i in 0..state.len() {
		for bit in 0..8 {
			let mut bad = state.clone();
			bad[i] ^= 1 << bit;
			if let Ok(mut s) = Session::import_state(&bad) {
				let _ = s.encrypt(b"x");
				let _ = s.decrypt(&a.encrypt(b"y").unwrap());
			}
		}
	}
	// A state whose counter was rolled back while its ratchet moved on no longer tiles the
	// counters above it, and is refused (an older copy of the *whole* state cannot be told
	// apart; that is the caller's job).
	b.encrypt(b"z").unwrap();
	let used = b.export_state().to_vec();
	let mut rolled = used.clone();
	rolled[9..17].copy_from_slice(&0u64.to_le_bytes()); // B's outbound last counter: 1 -> 0
	assert_eq!(
		Session::import_state(&rolled).unwrap_err(),
		Error::Malformed("invalid session state")
	);
	assert!(Session::import_state(&used).is_ok());
	// Still usable.
	assert_eq!(b.decrypt(&a.encrypt(b"ok").unwrap()).unwrap(), b"ok");
}
