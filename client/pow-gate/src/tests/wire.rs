//! Frames and messages.

use super::harness::identity;
use crate::{
	attest::{KeepChall, KeepPow},
	wire::*,
};

fn cookie() -> Cookie {
	Cookie { key_id: 3, issued_at: 1_700_000_000_123, effort: 1 << 19, tag: [9; 16] }
}

/// One of each of the five messages (and both CONN_INIT forms).
pub fn samples() -> Vec<Message> {
	let a = identity(1);
	let b = identity(2);
	let chall = a.sign_keep_chall(KeepChall {
		round: 42,
		issuer: a.id(),
		addressee: b.id(),
		salt: [7; 16],
	});
	vec![
		Message::ConnInit(ConnInit::Request),
		Message::ConnInit(ConnInit::Proof(ConnProof {
			challenge: [1; 16],
			cookie: cookie(),
			nonce: u64::MAX,
			identity: a.id(),
			signature: [2; 64],
		})),
		Message::ConnChall(ConnChall {
			challenge: [1; 16],
			cookie: cookie(),
			initiator: Endpoint::from(
				"[2001:db8::1]:40000".parse::<std::net::SocketAddr>().unwrap(),
			),
			responder: Endpoint::from("10.0.0.2:30333".parse::<std::net::SocketAddr>().unwrap()),
		}),
		Message::ConnOk(ConnOk { identity: b.id(), signature: [3; 64] }),
		Message::KeepChall(chall),
		Message::KeepPow(KeepPow::new(42, b.id(), vec![chall])),
	]
}

#[test]
fn every_message_round_trips_through_a_frame() {
	for msg in samples() {
		let frame = encode_frame(&msg);
		assert_eq!(u32::from_be_bytes(frame[..4].try_into().unwrap()) as usize, frame.len() - 4);
		assert_eq!(frame[4], PROTOCOL_VERSION);
		let mut d = FrameDecoder::new(1 << 20);
		d.push(&frame);
		assert_eq!(d.next_message(), Ok(Some(msg.clone())), "{}", msg.name());
		assert_eq!(d.next_message(), Ok(None));
		assert_eq!(d.finish(), Ok(()));
	}
}

#[test]
fn handshake_messages_fit_the_handshake_limit() {
	for msg in &samples()[..4] {
		assert!(encode_frame(msg).len() - 4 <= HANDSHAKE_MAX_FRAME as usize, "{}", msg.name());
	}
	let proof = encode_frame(&samples()[1]);
	assert_eq!(proof.len() - 4, 1 + 1 + 1 + 16 + 36 + 8 + 32 + 64, "CONN_INIT(proof) layout");
}

#[test]
fn byte_by_byte_and_batched_delivery() {
	let all: Vec<u8> = samples().iter().flat_map(encode_frame).collect();
	let mut d = FrameDecoder::new(1 << 20);
	let mut got = Vec::new();
	for b in &all {
		d.push(std::slice::from_ref(b));
		while let Some(m) = d.next_message().unwrap() {
			got.push(m);
		}
	}
	assert_eq!(got, samples());
	let mut d = FrameDecoder::new(1 << 20);
	d.push(&all);
	let mut n = 0;
	while d.next_message().unwrap().is_some() {
		n += 1;
	}
	assert_eq!(n, samples().len());
	assert_eq!(d.buffered(), 0);
}

#[test]
fn decoder_errors() {
	let mut d = FrameDecoder::new(100);
	d.push(&101u32.to_be_bytes());
	assert_eq!(d.next_message(), Err(FrameError::Oversized { len: 101, max: 100 }));
	// Refused from the header alone, and the decoder stays failed.
	assert_eq!(d.buffered(), 0);
	d.push(&encode_frame(&Message::ConnInit(ConnInit::Request)));
	assert!(d.next_message().is_err());

	let mut d = FrameDecoder::new(100);
	d.push(&[0, 0, 0, 2, 2, 0]);
	assert_eq!(d.next_message(), Err(FrameError::UnknownVersion(2)));

	let mut d = FrameDecoder::new(100);
	d.push(&[0, 0, 0, 2, 1, 9]);
	assert_eq!(d.next_message(), Err(FrameError::Malformed));

	let mut d = FrameDecoder::new(100);
	let frame = encode_frame(&samples()[3]);
	d.push(&frame[..frame.len() - 1]);
	assert_eq!(d.next_message(), Ok(None));
	assert_eq!(d.finish(), Err(FrameError::Truncated { buffered: frame.len() - 1 }));
}

#[test]
fn endpoints_fold_ipv4_mapped_addresses() {
	let v4: std::net::SocketAddr = "192.0.2.1:5".parse().unwrap();
	let mapped: std::net::SocketAddr = "[::ffff:192.0.2.1]:5".parse().unwrap();
	assert_eq!(Endpoint::from(v4), Endpoint::from(mapped));
	assert_eq!(std::net::SocketAddr::from(Endpoint::from(mapped)), v4);
	let v6: std::net::SocketAddr = "[2001:db8::1]:5".parse().unwrap();
	assert_eq!(std::net::SocketAddr::from(Endpoint::from(v6)), v6);
}
