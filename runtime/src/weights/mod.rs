//! Weights measured in this runtime's Wasm by frame-omni-bencher (`bash scripts/weights.sh`):
//! the polkadot-sdk pallets, the transaction extensions, and the base costs of a block and of
//! an extrinsic (`block_weights`, `extrinsic_weights`). Generated; do not edit by hand.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_parameters;
pub mod pallet_preimage;
pub mod pallet_scheduler;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
