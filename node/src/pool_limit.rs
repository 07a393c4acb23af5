//! The transaction pool's default size, sized to the confirmation depth.
//!
//! The fork-aware pool counts a transaction against `--pool-limit` until its block is final, that
//! is `depth` blocks after its inclusion (`crate::finality`). With polkadot-sdk's default of 8,192
//! a sustained flood could put at most about 900 transactions in each block of a depth-10 chain,
//! fewer than a full block holds, and 90 on the live chain (depth 100): the pool, not the block,
//! would set the throughput. So unless `--pool-limit` is given, the node sizes the pool for
//! `depth` full blocks on top of the default's room for waiting transactions. The byte limit
//! (`--pool-kbytes`, 20 MiB) still bounds the memory: about 140,000 transfers.

/// The room for waiting (not yet included) transactions: polkadot-sdk's default limit.
pub const WAITING: usize = 8_192;

/// The transactions of a full block, counted for each block not yet final: a block of balance
/// transfers holds about 1,200 at the runtime's weights.
pub const PER_BLOCK: usize = 1_200;

/// The default `--pool-limit` for a chain finalized `depth` blocks below the best block.
pub fn default_limit(depth: u32) -> usize {
	WAITING.saturating_add(PER_BLOCK.saturating_mul(depth as usize))
}

/// Whether the command line sets `--pool-limit` itself (then it is used as given).
pub fn limit_given<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> bool {
	args.into_iter().any(|arg| {
		let arg = arg.to_string_lossy();
		arg == "--pool-limit" || arg.starts_with("--pool-limit=")
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_pool_holds_depth_full_blocks_and_the_waiting_room() {
		assert_eq!(default_limit(10), 8_192 + 12_000);
		assert_eq!(default_limit(100), 8_192 + 120_000);
	}

	#[test]
	fn an_explicit_limit_is_recognised_in_both_spellings() {
		let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
		assert!(limit_given(args(&["gpow-node", "--pool-limit", "100"])));
		assert!(limit_given(args(&["gpow-node", "--pool-limit=100"])));
		assert!(!limit_given(args(&["gpow-node", "--dev", "--pool-kbytes", "100"])));
	}
}
