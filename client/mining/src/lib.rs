//! # GPoW external mining
//!
//! The `mining_*` JSON-RPC API through which external miners (`gpow-miner`, a pool's workers)
//! mine on a node's block template, and the node's side of it:
//!
//! - [`api`]: the methods (`mining_getWork`, `mining_submitWork`, `mining_shares`,
//!   `mining_subscribeWork` / `mining_unsubscribeWork`), server and client;
//! - [`types`]: their JSON shapes; [`error`]: the named refusals and their codes;
//! - [`book`]: jobs, accepted nonces and worker counts, bounded; [`workers`]: the worker table
//!   and its nonce ranges;
//! - [`service`]: the book kept in step with the node's template, sealing blocks through it.
//!
//! The work function is `gpow_primitives_pow::work_hash` / `meets_difficulty`, the same the
//! node's in-process miner and its seal verification use.

#![warn(missing_docs)]

pub mod api;
pub mod book;
pub mod error;
pub mod priority;
pub mod service;
pub mod types;
pub mod workers;

pub use error::{ErrorKind, Refusal};
