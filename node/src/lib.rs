//! The parts of `gpow-node` that have unit tests, as a library the binary (`main.rs`) uses: a
//! unit-test harness of the binary would compile the whole node a second time, so the binary is
//! tested from the outside (`tests/cli.rs`, the end-to-end suite) and these small modules here.
//!
//! - [`build_time`]: how long the proposer may spend building a block template;
//! - [`pool_limit`]: the transaction pool's default size for the confirmation depth;
//! - [`metrics`]: the node's own Prometheus metrics (mining, the connection gate).

#![warn(missing_docs)]

pub mod build_time;
pub mod metrics;
pub mod pool_limit;
