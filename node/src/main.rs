//! `gpow-node`: the GPoW full node. It hosts the Wasm runtime, imports blocks with a native PoW
//! verifier, mines blocks on worker threads, finalizes at a confirmation depth and serves
//! JSON-RPC.

#![warn(missing_docs)]

mod attest;
mod chain_spec;
mod cli;
mod command;
mod finality;
mod gate;
mod mining;
mod pow;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
