//! Mining: the in-process miner's threads ([`local`]) and external miners served through the
//! `mining_*` JSON-RPC methods ([`external`] keeps a `gpow_mining::service::WorkService` in step
//! with the block template, [`rpc`] serves the methods). Both work on the template of
//! sc-consensus-pow's mining worker and seal through its `MiningHandle`. How long the worker may
//! spend building a template is `gpow_node::build_time`.

pub mod external;
pub mod local;
pub mod rpc;
