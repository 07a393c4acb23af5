//! The pallet's invariants, checked by the `try_state` hook (feature `try-runtime`), the
//! pallet's tests and the runtime's fuzzer.

use super::*;
use alloc::collections::BTreeMap;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - `ActiveRounds` is strictly ascending and every round holding attestations is in it;
	/// - a round still in the window counts exactly its attestations; an expired one, which
	///   `on_initialize` may have pruned in part, counts at least what is left of them.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let rounds = ActiveRounds::<T>::get();
		ensure!(
			rounds.windows(2).all(|w| w[0].round < w[1].round),
			"ActiveRounds is not strictly ascending"
		);
		let mut stored: BTreeMap<u64, u32> = BTreeMap::new();
		for (round, _) in Attestations::<T>::iter_keys() {
			let n = stored.entry(round).or_default();
			*n = n.saturating_add(1);
		}
		let first_live = Self::current_round().saturating_sub(T::RoundWindow::get());
		for (round, n) in &stored {
			let info = rounds.iter().find(|r| r.round == *round);
			ensure!(info.is_some(), "a round holds attestations but is not tracked");
			let counted = info.map_or(0, |r| r.attestations);
			if *round >= first_live {
				ensure!(counted == *n, "a live round does not count its attestations");
			} else {
				ensure!(counted >= *n, "an expired round counts fewer attestations than it holds");
			}
		}
		for info in rounds.iter().filter(|r| r.round >= first_live) {
			ensure!(
				stored.get(&info.round).copied().unwrap_or(0) == info.attestations,
				"a live round counts attestations it does not hold"
			);
		}
		Ok(())
	}
}
