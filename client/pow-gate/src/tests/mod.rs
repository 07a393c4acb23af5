//! Unit tests of the sans-IO core, driven with explicit time.

mod fairness;
mod fuzz;
mod handshake;
mod harness;
mod keepalive;
mod wire;
