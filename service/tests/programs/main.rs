//! The service market's programs, and the chain client they are built on
//! (`gpow-market-client`, module `client`), against real `gpow-node --dev` nodes, as one test
//! binary: one link of the native runtime instead of one per crate and program, and one run in
//! which the tests wait for their blocks at the same time.
//!
//! Each test starts its own node and uses its own ports, directories and accounts, so they run
//! in parallel threads of this process. libtest runs as many at once as there are cores: on 2
//! cores, `-- --test-threads=3` runs all three at once (40-47 s on the reference machine,
//! against 48-65 s two at a time and 81 s for the three binaries they were before).

mod client;
mod consumer;
mod provider;
mod support;
mod validator;
