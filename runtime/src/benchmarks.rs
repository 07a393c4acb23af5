//! The pallets whose benchmarks the runtime exposes through the `Benchmark` runtime API (built
//! only with `runtime-benchmarks`). `frame-omni-bencher` runs them in the Wasm runtime and
//! `scripts/weights.sh` turns the results into the `weights.rs` files.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_sudo, Sudo]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_utility, Utility]
	[pallet_parameters, Parameters]
	[pallet_difficulty, Difficulty]
	[pallet_rewards, Rewards]
	[pallet_ssk, Ssk]
	[pallet_reputation, Reputation]
	[pallet_pow_attest, PowAttest]
	[pallet_services, Services]
	[pallet_governance, Governance]
	[pallet_work_payment, WorkPayment]
);
