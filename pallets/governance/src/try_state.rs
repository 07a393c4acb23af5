//! The pallet's invariants, checked by the `try_state` hook (feature `try-runtime`), the
//! pallet's tests and the runtime's fuzzer.

use super::*;
use alloc::collections::BTreeMap;
use frame_support::traits::fungible::InspectHold;
use sp_runtime::{Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - `ActiveProposals` and `ActiveByProposer` count the active (voting or scheduled)
	///   proposals of each track and of each proposer on it, and keep no zero entries;
	/// - each proposer's deposit hold is the sum of the deposits of its proposals being voted on;
	/// - every proposal being voted on is found from its pool, every pool entry names a proposal
	///   being voted on with that pool, and every post entry names the proposal of that post.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut per_track: BTreeMap<TrackId, u32> = BTreeMap::new();
		let mut per_proposer: BTreeMap<(TrackId, T::AccountId), u32> = BTreeMap::new();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, p) in Proposals::<T>::iter() {
			if p.status.is_active() {
				per_track.entry(p.track).or_default().saturating_inc();
				per_proposer.entry((p.track, p.proposer.clone())).or_default().saturating_inc();
			}
			let deposits = held.entry(p.proposer.clone()).or_default();
			if p.status == ProposalStatus::Voting {
				deposits.saturating_accrue(p.deposit);
				ensure!(
					ProposalOfPool::<T>::get(p.pool) == Some(id),
					"a proposal being voted on is not found from its pool"
				);
			}
			ensure!(
				ProposalOfPost::<T>::get(p.post) == Some(id),
				"a proposal is not found from its post"
			);
		}
		for (track, _) in Tracks::<T>::iter() {
			ensure!(
				ActiveProposals::<T>::get(track) == per_track.get(&track).copied().unwrap_or(0),
				"ActiveProposals does not count a track's active proposals"
			);
		}
		for (track, who, n) in ActiveByProposer::<T>::iter() {
			ensure!(
				per_proposer.get(&(track, who)).copied() == Some(n),
				"ActiveByProposer does not count a proposer's active proposals"
			);
		}
		ensure!(
			ActiveByProposer::<T>::iter().count() == per_proposer.len(),
			"ActiveByProposer misses a proposer"
		);
		for (who, deposits) in &held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), who) == *deposits,
				"a proposer's deposit hold is not the deposits of its proposals being voted on"
			);
		}
		for (pool, id) in ProposalOfPool::<T>::iter() {
			ensure!(
				Proposals::<T>::get(id)
					.is_some_and(|p| p.pool == pool && p.status == ProposalStatus::Voting),
				"a pool entry names no proposal being voted on with that pool"
			);
		}
		for (post, id) in ProposalOfPost::<T>::iter() {
			ensure!(
				Proposals::<T>::get(id).is_some_and(|p| p.post == post),
				"a post entry names no proposal of that post"
			);
		}
		Ok(())
	}
}
