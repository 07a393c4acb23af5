//! The fuzzer's actors: the preset's well-known accounts and extra ed25519 accounts endowed at
//! genesis, each with the key that signs its transactions.

use gpow_runtime::{AccountId, Balance, RuntimeGenesisConfig, EXISTENTIAL_DEPOSIT, UNIT};
use sp_core::{ed25519, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::IdentifyAccount, MultiSignature, MultiSigner};

/// What signs for an actor.
enum Key {
	Sr(Sr25519Keyring),
	Ed(Box<ed25519::Pair>),
}

/// An account the fuzzer signs for.
pub struct Actor {
	/// A short name for reports.
	pub name: String,
	/// The account.
	pub id: AccountId,
	key: Key,
}

impl Actor {
	/// Signs `payload` (ed25519 is deterministic; sr25519 is not, which changes nothing the
	/// runtime stores: the fuzzer sets the parent hashes itself).
	pub fn sign(&self, payload: &[u8]) -> MultiSignature {
		match &self.key {
			Key::Sr(k) => k.sign(payload).into(),
			Key::Ed(p) => p.sign(payload).into(),
		}
	}
}

/// The fuzz accounts endowed at genesis and the REP some of them start with.
const EXTRA: &[(&str, Balance, Balance)] = &[
	("f1", 100_000 * UNIT, 100 * UNIT),
	("f2", 100_000 * UNIT, 100 * UNIT),
	("f3", 100_000 * UNIT, 50 * UNIT),
	("f4", 100_000 * UNIT, 10 * UNIT),
	("f5", 100_000 * UNIT, 0),
	("f6", 100_000 * UNIT, 0),
	("poor1", 3 * EXISTENTIAL_DEPOSIT, 0),
	("poor2", 20 * EXISTENTIAL_DEPOSIT, 1),
	("nobody", 0, 0),
];

fn ed(i: usize) -> ed25519::Pair {
	let mut seed = [0u8; 32];
	seed[..5].copy_from_slice(b"fuzz/");
	seed[5] = i as u8;
	ed25519::Pair::from_seed(&seed)
}

/// Every actor: the six first well-known accounts, their two stashes, then the extra ones.
pub fn actors() -> Vec<Actor> {
	use Sr25519Keyring::*;
	let mut actors: Vec<Actor> = [Alice, Bob, Charlie, Dave, Eve, Ferdie, AliceStash, BobStash]
		.into_iter()
		.map(|k| Actor { name: format!("{k:?}"), id: k.to_account_id(), key: Key::Sr(k) })
		.collect();
	for (i, (name, _, _)) in EXTRA.iter().enumerate() {
		let pair = ed(i);
		let id = MultiSigner::from(pair.public()).into_account();
		actors.push(Actor { name: name.to_string(), id, key: Key::Ed(Box::new(pair)) });
	}
	actors
}

/// Adds the extra actors' endowments and REP to a preset's genesis.
pub fn endow(config: &mut RuntimeGenesisConfig, actors: &[Actor]) {
	for (name, balance, rep) in EXTRA {
		let id = actors.iter().find(|a| a.name == *name).expect("an extra actor").id.clone();
		if *balance > 0 {
			config.balances.balances.push((id.clone(), *balance));
		}
		if *rep > 0 {
			config.reputation.members.push((id, *rep));
		}
	}
}
