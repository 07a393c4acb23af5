//! `gpow-node`: the GPoW full node. It hosts the Wasm runtime, imports blocks with a native PoW
//! verifier, mines blocks on worker threads, finalizes at a confirmation depth and serves
//! JSON-RPC.

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` (from polkadot-sdk) are large; the node returns them
// once, at start-up or shut-down, so boxing them would buy nothing.
#![allow(clippy::result_large_err)]

mod attest;
mod chain_spec;
mod cli;
mod command;
mod deep_fork;
mod finality;
mod gate;
mod mining;
mod pool_tasks;
mod pow;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
