//! A panel pool the validator judges, as it is kept in the store (`pools/<pool>.json`), and the
//! state machine that takes it from the draw to the claim.
//!
//! [`decide`] is the whole machine: from the job's [`Stage`] and a [`View`] of the chain (the
//! best block, the pool, this account's stake) it gives the next [`Action`]. The daemon records
//! the stage before it sends a call and again once the call is in a block; after a restart the
//! view tells which side of the call it stopped on (a stake on chain means the stake went
//! through), so no call is made twice and none is forgotten. A stake whose submission timed out
//! may still wait in the pool: its nonce is recorded before it is sent, and while the chain has
//! not reached that nonce and the pool holds it, the job waits instead of staking again (a
//! second stake on the same side would add to the first).

use gpow_market_client::Nonces;
use gpow_runtime::{BlockNumber, Hash, Nonce};
use pallet_reputation::{PoolId, Rep, Side};
use serde::{Deserialize, Serialize};

use super::record::RoundRecord;

/// A side of a stake, as the store keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Vote {
	/// For the evidence post: the work passed.
	For,
	/// Against it: the work failed.
	Against,
}

impl Vote {
	/// `For` on a pass, `Against` on a fail.
	pub fn of(pass: bool) -> Vote {
		if pass {
			Vote::For
		} else {
			Vote::Against
		}
	}

	/// The pallet's side.
	pub fn side(self) -> Side {
		match self {
			Vote::For => Side::For,
			Vote::Against => Side::Against,
		}
	}
}

/// REP amounts as decimal strings: JSON numbers lose precision past 2^53 in most readers, and
/// serde's internally tagged enums cannot hold a `u128`.
mod amount {
	use pallet_reputation::Rep;
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(amount: &Rep, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(amount)
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Rep, D::Error> {
		String::deserialize(deserializer)?.parse().map_err(D::Error::custom)
	}

	/// The same for an optional amount.
	pub mod optional {
		use super::*;
		use serde::Serialize;

		pub fn serialize<S: Serializer>(
			amount: &Option<Rep>,
			serializer: S,
		) -> Result<S::Ok, S::Error> {
			amount.map(|a| a.to_string()).serialize(serializer)
		}

		pub fn deserialize<'de, D: Deserializer<'de>>(
			deserializer: D,
		) -> Result<Option<Rep>, D::Error> {
			let text = Option::<String>::deserialize(deserializer)?;
			text.map(|t| t.parse().map_err(D::Error::custom)).transpose()
		}
	}
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum Outcome {
	/// The stake was claimed back (with `payout`, when this daemon saw the claim).
	Claimed {
		/// What the claim paid, stake included.
		#[serde(with = "amount::optional")]
		payout: Option<Rep>,
	},
	/// Not a pool to judge: not a market pool, a kind this validator does not implement, an
	/// instance that is not being evaluated.
	NotJudged {
		/// Why.
		why: String,
	},
	/// The window closed (or the pool settled) before this account staked.
	Missed,
	/// The chain refused the stake.
	StakeRefused {
		/// The error, by name.
		error: String,
	},
}

impl std::fmt::Display for Outcome {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Outcome::Claimed { payout: Some(payout) } => {
				write!(f, "claimed {}", super::stake::format_rep(*payout))
			},
			Outcome::Claimed { payout: None } => f.write_str("claimed (before a restart)"),
			Outcome::NotJudged { why } => write!(f, "not judged: {why}"),
			Outcome::Missed => f.write_str("missed: the window closed before this account staked"),
			Outcome::StakeRefused { error } => write!(f, "the chain refused the stake: {error}"),
		}
	}
}

/// Where a job stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum Stage {
	/// Drawn: the work is to be judged (the first round, for storage).
	Judge,
	/// Storage: the first round is judged; the second is drawn from the hash of block `at`,
	/// the middle of the window.
	SecondRound {
		/// The block whose hash seeds the second round.
		at: BlockNumber,
		/// The first round.
		first: RoundRecord,
	},
	/// Judged: the stake is about to be sent (or was sent and not yet seen in a block).
	Staking {
		/// The side.
		vote: Vote,
		/// The REP staked.
		#[serde(with = "amount")]
		amount: Rep,
		/// The nonce of the last stake transaction sent, if one was.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		sent: Option<Nonce>,
	},
	/// The stake is in a block.
	Staked {
		/// The side.
		vote: Vote,
		/// The REP staked.
		#[serde(with = "amount")]
		amount: Rep,
	},
	/// The settlement is about to be sent.
	Settling,
	/// The pool is settled; the claim is about to be sent.
	Claiming,
	/// Over.
	Closed(Outcome),
}

impl Stage {
	/// Whether the job is over.
	pub fn is_closed(&self) -> bool {
		matches!(self, Stage::Closed(_))
	}
}

/// A pool whose panel holds this account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
	/// The pool.
	pub pool: PoolId,
	/// The instance it judges (none for a pool that is not a market pool).
	pub instance: Option<u64>,
	/// The block the panel was drawn in (its hash seeds the evaluation).
	pub drawn_in: Hash,
	/// Its number.
	pub drawn_at: BlockNumber,
	/// The pool's opening block.
	pub opened_at: BlockNumber,
	/// The first block at which the pool may be settled; stakes must be in a block before it.
	pub ends_at: BlockNumber,
	/// Where it stands.
	pub stage: Stage,
}

impl Job {
	/// The store's name of the job of `pool`.
	pub fn file(pool: PoolId) -> String {
		format!("pools/{pool}.json")
	}

	/// The block at the middle of the window, whose hash seeds a storage evaluation's second
	/// round.
	pub fn middle(&self) -> BlockNumber {
		self.opened_at.saturating_add(self.ends_at.saturating_sub(self.opened_at) / 2)
	}
}

/// The pool as [`decide`] needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolView {
	/// Whether it is settled.
	pub settled: bool,
	/// The first block at which it may be settled.
	pub ends_at: BlockNumber,
	/// Whether every panel member has staked (the pallet then settles it early).
	pub all_staked: bool,
}

/// What the chain says, at the best block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
	/// The best block's number.
	pub best: BlockNumber,
	/// The pool; `None` once every stake in it is claimed (the pallet removes it).
	pub pool: Option<PoolView>,
	/// This account's stake in the pool: side and amount.
	pub stake: Option<(Vote, Rep)>,
	/// This account's nonces, when the job is [`Stage::Staking`] with a stake sent.
	pub nonces: Option<Nonces>,
}

impl View {
	/// Whether a stake sent now can still be in a block before the window ends.
	fn can_stake(&self) -> bool {
		self.pool
			.is_some_and(|pool| !pool.settled && self.best.saturating_add(1) < pool.ends_at)
	}

	/// Whether a settlement sent now can be accepted.
	fn can_settle(&self) -> bool {
		self.pool.is_some_and(|pool| {
			!pool.settled && (pool.all_staked || self.best.saturating_add(1) >= pool.ends_at)
		})
	}
}

/// The next thing to do for a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
	/// Judge the work (the first round).
	Judge,
	/// Judge a storage evaluation's second round.
	JudgeSecondRound,
	/// Stake `amount` on `vote`.
	Stake(Vote, Rep),
	/// Record the stage: the chain shows the step was already taken.
	Record(Stage),
	/// Settle the pool.
	Settle,
	/// Claim the stake.
	Claim,
	/// Nothing until a later block.
	Wait,
}

/// The next action for a job at `stage`, given what the chain says.
pub fn decide(stage: &Stage, view: &View) -> Action {
	let missed = Action::Record(Stage::Closed(Outcome::Missed));
	match stage {
		Stage::Judge if view.can_stake() => Action::Judge,
		Stage::SecondRound { at, .. } if view.can_stake() => {
			if view.best >= *at {
				Action::JudgeSecondRound
			} else {
				Action::Wait
			}
		},
		Stage::Judge | Stage::SecondRound { .. } => missed,
		Stage::Staking { vote, amount, sent } => match view.stake {
			Some((vote, amount)) => Action::Record(Stage::Staked { vote, amount }),
			None if !view.can_stake() => missed,
			// Sent, still waiting in the pool: staking again would stake twice.
			None if sent.zip(view.nonces).is_some_and(|(sent, n)| n.pooled(sent)) => Action::Wait,
			// Not sent, dropped from the pool, or in a block that has no stake of it.
			None => Action::Stake(*vote, *amount),
		},
		Stage::Staked { .. } | Stage::Settling | Stage::Claiming => match (view.pool, view.stake) {
			// Claimed before a restart lost the record of it.
			(None, _) | (Some(_), None) => {
				Action::Record(Stage::Closed(Outcome::Claimed { payout: None }))
			},
			(Some(pool), Some(_)) if pool.settled => match stage {
				Stage::Claiming => Action::Claim,
				_ => Action::Record(Stage::Claiming),
			},
			(Some(_), Some(_)) if view.can_settle() => match stage {
				Stage::Settling => Action::Settle,
				_ => Action::Record(Stage::Settling),
			},
			(Some(_), Some(_)) => Action::Wait,
		},
		Stage::Closed(_) => Action::Wait,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const ENDS: BlockNumber = 100;

	fn view(best: BlockNumber, settled: bool, all_staked: bool, stake: Option<Vote>) -> View {
		let pool = Some(PoolView { settled, ends_at: ENDS, all_staked });
		View { best, pool, stake: stake.map(|vote| (vote, 7)), nonces: None }
	}

	fn open(best: BlockNumber) -> View {
		view(best, false, false, None)
	}

	/// Runs the machine from `stage`, taking every step the chain would see taken, until it
	/// waits or closes; returns the actions taken.
	fn run(mut stage: Stage, mut view: View) -> (Stage, Vec<Action>) {
		let mut actions = Vec::new();
		for _ in 0..20 {
			let action = decide(&stage, &view);
			actions.push(action.clone());
			match action {
				Action::Wait => break,
				Action::Record(next) => stage = next,
				Action::Judge => stage = Stage::Staking { vote: Vote::For, amount: 7, sent: None },
				Action::Stake(vote, amount) => view.stake = Some((vote, amount)),
				Action::Settle => view.pool = view.pool.map(|p| PoolView { settled: true, ..p }),
				Action::Claim => {
					view.stake = None;
					stage = Stage::Closed(Outcome::Claimed { payout: Some(7) });
				},
				Action::JudgeSecondRound => unreachable!("no storage here"),
			}
			if stage.is_closed() {
				break;
			}
		}
		(stage, actions)
	}

	#[test]
	fn a_job_is_judged_staked_settled_and_claimed() {
		let (stage, actions) = run(Stage::Judge, view(10, false, true, None));
		assert_eq!(stage, Stage::Closed(Outcome::Claimed { payout: Some(7) }));
		assert_eq!(
			actions,
			vec![
				Action::Judge,
				Action::Stake(Vote::For, 7),
				Action::Record(Stage::Staked { vote: Vote::For, amount: 7 }),
				Action::Record(Stage::Settling),
				Action::Settle,
				Action::Record(Stage::Claiming),
				Action::Claim,
			]
		);
	}

	#[test]
	fn a_stake_waits_for_the_window_unless_everyone_staked() {
		let staked = Stage::Staked { vote: Vote::Against, amount: 7 };
		assert_eq!(decide(&staked, &view(50, false, false, Some(Vote::Against))), Action::Wait);
		assert_eq!(
			decide(&staked, &view(ENDS - 1, false, false, Some(Vote::Against))),
			Action::Record(Stage::Settling)
		);
		assert_eq!(
			decide(&staked, &view(50, false, true, Some(Vote::Against))),
			Action::Record(Stage::Settling)
		);
	}

	#[test]
	fn a_restart_after_the_stake_went_through_does_not_stake_again() {
		let staking = Stage::Staking { vote: Vote::For, amount: 7, sent: Some(3) };
		assert_eq!(decide(&staking, &open(10)), Action::Stake(Vote::For, 7));
		// The stake is in a block, the daemon stopped before recording it.
		assert_eq!(
			decide(&staking, &view(10, false, false, Some(Vote::For))),
			Action::Record(Stage::Staked { vote: Vote::For, amount: 7 })
		);
	}

	#[test]
	fn a_stake_still_in_the_pool_is_not_sent_again() {
		let staking = Stage::Staking { vote: Vote::For, amount: 7, sent: Some(3) };
		let with = |included, next| View { nonces: Some(Nonces { included, next }), ..open(10) };
		// Nonce 3 waits in the pool (a timeout, or a restart, while it did).
		assert_eq!(decide(&staking, &with(3, 4)), Action::Wait);
		assert_eq!(decide(&staking, &with(2, 5)), Action::Wait);
		// Dropped from the pool: sent again.
		assert_eq!(decide(&staking, &with(3, 3)), Action::Stake(Vote::For, 7));
		// In a block, but no stake of it there (it failed, or nonce 3 was another call).
		assert_eq!(decide(&staking, &with(4, 4)), Action::Stake(Vote::For, 7));
		// Its stake is in a block.
		let staked = View { stake: Some((Vote::For, 7)), ..with(4, 4) };
		assert_eq!(
			decide(&staking, &staked),
			Action::Record(Stage::Staked { vote: Vote::For, amount: 7 })
		);
		// The window closed while it waited.
		assert_eq!(
			decide(&staking, &View { best: ENDS, ..with(3, 4) }),
			Action::Record(Stage::Closed(Outcome::Missed))
		);
	}

	#[test]
	fn a_restart_never_forgets_the_claim() {
		// Settled while the daemon was down: it claims.
		let (stage, actions) = run(
			Stage::Staked { vote: Vote::For, amount: 7 },
			view(200, true, false, Some(Vote::For)),
		);
		assert_eq!(actions[..2], [Action::Record(Stage::Claiming), Action::Claim]);
		assert!(matches!(stage, Stage::Closed(Outcome::Claimed { payout: Some(7) })));
		// Claimed, then stopped before recording it: the stake is gone, nothing is sent.
		assert_eq!(
			decide(&Stage::Claiming, &view(200, true, false, None)),
			Action::Record(Stage::Closed(Outcome::Claimed { payout: None }))
		);
		let gone = View { best: 300, pool: None, stake: None, nonces: None };
		assert_eq!(
			decide(&Stage::Claiming, &gone),
			Action::Record(Stage::Closed(Outcome::Claimed { payout: None }))
		);
		// A settlement someone else made is fine.
		assert_eq!(
			decide(&Stage::Settling, &view(200, true, false, Some(Vote::For))),
			Action::Record(Stage::Claiming)
		);
	}

	#[test]
	fn a_window_too_near_its_end_is_missed() {
		let missed = Action::Record(Stage::Closed(Outcome::Missed));
		assert_eq!(decide(&Stage::Judge, &open(ENDS - 1)), missed);
		assert_eq!(decide(&Stage::Judge, &open(ENDS - 2)), Action::Judge);
		assert_eq!(decide(&Stage::Judge, &view(10, true, false, None)), missed);
		let staking = Stage::Staking { vote: Vote::For, amount: 1, sent: None };
		assert_eq!(decide(&staking, &open(ENDS)), missed);
		let gone = View { best: 10, pool: None, stake: None, nonces: None };
		assert_eq!(decide(&Stage::Judge, &gone), missed);
	}

	#[test]
	fn a_second_round_waits_for_its_block() {
		let first = RoundRecord::default();
		let second = Stage::SecondRound { at: 50, first };
		assert_eq!(decide(&second, &open(49)), Action::Wait);
		assert_eq!(decide(&second, &open(50)), Action::JudgeSecondRound);
		assert_eq!(decide(&second, &open(ENDS)), Action::Record(Stage::Closed(Outcome::Missed)));
	}

	#[test]
	fn jobs_survive_the_store_as_json() {
		let job = Job {
			pool: 3,
			instance: Some(9),
			drawn_in: Hash::repeat_byte(4),
			drawn_at: 12,
			opened_at: 12,
			ends_at: 112,
			stage: Stage::Staked { vote: Vote::Against, amount: 100 },
		};
		let json = serde_json::to_string(&job).unwrap();
		assert!(
			json.contains(r#""stage":{"stage":"staked","vote":"Against","amount":"100"}"#),
			"{json}"
		);
		assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
		assert_eq!(job.middle(), 62);
		assert_eq!(Job::file(3), "pools/3.json");
		// A stage written before the nonce was recorded reads as one with no stake sent.
		let old = r#"{"stage":"staking","vote":"For","amount":"7"}"#;
		let staking = Stage::Staking { vote: Vote::For, amount: 7, sent: None };
		assert_eq!(serde_json::from_str::<Stage>(old).unwrap(), staking);
		for stage in [
			Stage::Staking { vote: Vote::For, amount: 7, sent: Some(5) },
			Stage::Closed(Outcome::NotJudged { why: "kind".into() }),
			Stage::Closed(Outcome::Claimed { payout: Some(u128::MAX) }),
			Stage::Closed(Outcome::Claimed { payout: None }),
		] {
			let json = serde_json::to_string(&stage).unwrap();
			assert_eq!(serde_json::from_str::<Stage>(&json).unwrap(), stage);
		}
	}
}
