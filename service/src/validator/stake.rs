//! How much REP the validator stakes in a pool when `--stake` does not say.
//!
//! A panel member's stake should be enough for the pool to reach a verdict when the panel
//! agrees (every member judges the same work, each from its own seed), and no more (a losing
//! stake is forfeited by the parameter set's binding). Read from `pallet-reputation`'s
//! settlement:
//!
//! - **quorum**: the stakes must reach `quorum × base` (the panel's free REP at the draw);
//! - **win ratio** `w`: the pool passes when `F ≥ w × (F + A)`, where `F` holds the minted REP
//!   for and the provider's backing and `A` the minted REP against. A member voting `For` needs
//!   the stakes `S` with `F + S ≥ w (F + S + A)`; one voting `Against` needs
//!   `F < w (F + A + S)`.
//!
//! Each member brings **all** of it, not its share: a member cannot know who else on the panel
//! will vote (a provider drawn on a rival's panel, a member offline), and a pool short of its
//! quorum judges nothing, so a cheater would keep its backing. Members judging the same work
//! reach the same verdict, so for an honest panel the larger stake is not at risk; it is when a
//! member's samples miss what another's catch (a chance `(1 - f)^k`, see `gpow-market`).
//!
//! The stake is the larger of the two (at least 1), and never more than the account's free
//! REP.

use gpow_market_client::Pool;
use pallet_reputation::Rep;

use super::job::Vote;

/// Parts of a whole in a `Perbill`.
const BILLION: u128 = 1_000_000_000;

/// The REP the panel must stake on `vote` for the pool to decide for it (win ratio only), or
/// `None` when no stake can (a win ratio of 0 % or 100 %).
fn to_win(pool: &Pool, vote: Vote) -> Option<Rep> {
	let backing = pool.backing.as_ref().map_or(0, |(_, rep)| *rep);
	let f = pool.minted_for.saturating_add(backing).saturating_add(pool.stake_for);
	let a = pool.minted_against.saturating_add(pool.stake_against);
	let w = u128::from(pool.params.win_ratio.deconstruct());
	match vote {
		// S ≥ (w (F + A) − F) / (1 − w)
		Vote::For => {
			let need = w.checked_mul(f.checked_add(a)?)?.saturating_sub(BILLION.checked_mul(f)?);
			Some(need.div_ceil(BILLION.checked_sub(w).filter(|d| *d > 0)?))
		},
		// S > F / w − F − A, that is S > (F (1 − w) − w A) / w
		Vote::Against => {
			let excess = f.checked_mul(BILLION.checked_sub(w)?)?.saturating_sub(w.checked_mul(a)?);
			Some((excess / Some(w).filter(|w| *w > 0)?).saturating_add(1))
		},
	}
}

/// The REP to stake on `vote` in `pool` by a member with `free` REP: see the module's docs.
pub fn default_stake(pool: &Pool, vote: Vote, free: Rep) -> Rep {
	let quorum = pool.params.quorum.mul_ceil(pool.quorum_base);
	let win = to_win(pool, vote).unwrap_or(0);
	quorum.max(win).max(1).min(free)
}

/// An amount of REP as written on the command line (`100`, `2.5`).
pub fn parse_rep(text: &str) -> Result<Rep, String> {
	crate::amount::parse(text)
}

/// An amount of REP in words: `100 REP`, `5.000000000001 REP`.
pub fn format_rep(amount: Rep) -> String {
	format!("{} REP", crate::amount::format(amount))
}

#[cfg(test)]
mod tests {
	use super::*;
	use gpow_runtime::{AccountId, UNIT};
	use pallet_reputation::PoolState;

	/// A panel pool of the dev chain's default parameters (quorum 10 %, win ratio 50 %): a fee
	/// of 0.5 GPOW mints 0.25 REP on each side, the provider backs it with 5 REP, and the
	/// panel of `members` holds 1,000 REP.
	fn pool(members: u8) -> Pool {
		let panel: Vec<AccountId> = (0..members).map(|i| AccountId::new([i; 32])).collect();
		Pool {
			post: 1,
			initiator: AccountId::new([9; 32]),
			params: gpow_runtime::configs::ReputationDefaultParams::get(),
			fee: UNIT / 2,
			minted_for: UNIT / 4,
			minted_against: UNIT / 4,
			stake_for: 0,
			stake_against: 0,
			backing: Some((AccountId::new([9; 32]), 5 * UNIT)),
			quorum_base: 1_000 * UNIT,
			opened_at: 10,
			ends_at: 14_410,
			panel: Some(panel.try_into().expect("within the bound")),
			voters: 0,
			unclaimed_stakes: 0,
			remaining: 0,
			state: PoolState::Open,
			bootstrap: false,
		}
	}

	#[test]
	fn the_quorum_decides_when_the_vote_already_wins() {
		// 10 % of 1,000 REP, by each member whatever the panel's size (the others may not
		// vote), and never more than the member's free REP.
		assert_eq!(default_stake(&pool(1), Vote::For, 1_000 * UNIT), 100 * UNIT);
		assert_eq!(default_stake(&pool(4), Vote::For, 1_000 * UNIT), 100 * UNIT);
		assert_eq!(default_stake(&pool(4), Vote::For, 60 * UNIT), 60 * UNIT);
	}

	#[test]
	fn against_outweighs_the_backing() {
		let mut pool = pool(1);
		pool.quorum_base = 0;
		// F = 5.25, A = 0.25: against needs S > 5.
		assert_eq!(to_win(&pool, Vote::Against), Some(5 * UNIT + 1));
		assert_eq!(default_stake(&pool, Vote::Against, 1_000 * UNIT), 5 * UNIT + 1);
		// For already wins.
		assert_eq!(to_win(&pool, Vote::For), Some(0));
		assert_eq!(default_stake(&pool, Vote::For, 1_000 * UNIT), 1);
	}

	#[test]
	fn amounts_of_rep_read_and_print() {
		assert_eq!(parse_rep("2.5"), Ok(5 * UNIT / 2));
		assert!(parse_rep("-1").is_err());
		assert_eq!(format_rep(5 * UNIT + 1), "5.000000000001 REP");
	}

	#[test]
	fn the_stake_stays_within_free_rep() {
		assert_eq!(default_stake(&pool(1), Vote::For, 30 * UNIT), 30 * UNIT);
	}
}
