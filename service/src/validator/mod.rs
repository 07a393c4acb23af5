//! `gpow-validator`: the daemon of a REP holder that judges the panel pools it is drawn for.
//!
//! It follows the best blocks; when a pool's panel is drawn with its account on it
//! (`reputation.PanelDrawn`) and the pool judges a service instance
//! (`services.PoolInstances`), the pool becomes a [`job::Job`] in its state directory
//! (`pools/<pool>.json`). A job runs through its stages ([`job::Stage`], decided by
//! [`job::decide`] from what the chain says):
//!
//! 1. **Judge** ([`judge`]): read the instance and its type's kind, fetch the definition and
//!    result frames from the provider's endpoint, check them against the chain, draw the
//!    samples from the job's seed ([`seed::seed`]) and run the kind's evaluation function.
//!    Storage is judged in two rounds, the second seeded with the hash of the block at the
//!    middle of the window. The verdict is logged and written to `verdicts/<pool>.json`
//!    ([`record`]).
//! 2. **Stake** `For` on a pass, `Against` on a fail, before the window ends; the amount is
//!    `--stake` or the least that makes sense for the pool ([`stake::default_stake`]).
//! 3. **Settle** once the window is over, or as soon as every panel member has staked.
//! 4. **Claim** the stake back with what it won (or what the forfeit left).
//!
//! Every stage is written to the store before its call is sent and after it is in a block, so
//! a daemon killed at any moment neither stakes twice nor forgets to claim: on restart it reads
//! the chain (its stake, the pool's state) to tell which side of the call it stopped on
//! ([`daemon`]).

pub mod cli;
mod cpu;
pub mod daemon;
pub mod job;
pub mod judge;
pub mod record;
pub mod seed;
pub mod stake;

#[cfg(test)]
use crate::endpoint as endpoint_api;
#[cfg(test)]
mod test_endpoint;

/// The program's name, the prefix of its log lines.
pub const NAME: &str = "gpow-validator";

/// Writes one log line on stdout: `gpow-validator: <line>`.
pub fn log(line: impl std::fmt::Display) {
	println!("{NAME}: {line}");
}
