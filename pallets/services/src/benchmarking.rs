//! Benchmarks of the services pallet.
