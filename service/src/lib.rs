//! # GPoW service programs
//!
//! The programs that make the service market (`pallet-services`) do real work without anyone
//! voting by hand (issue 15):
//!
//! - `gpow-provider`: holds offers for the service types it implements, takes the instances
//!   negotiation assigns to it, receives each definition through the SSK channel, does the work,
//!   submits the result's commitment, and answers spot checks at its endpoint.
//! - `gpow-validator`: for REP holders; judges the panel pools it is drawn for with the service
//!   type's evaluation function, stakes for or against within the window, settles and claims.
//! - `gpow-service`: the consumer's command: define and request work, follow the instance, fetch
//!   and verify the result, cancel after a missed deadline.
//!
//! The work itself (the two service types, their evaluation functions, framing) is `gpow-market`;
//! the chain side (signing, reads, events) is `gpow-market-client`. This library holds what the
//! three programs share: the provider's endpoint protocol ([`endpoint`]) and the state on disk
//! ([`store`]).

#![deny(missing_docs)]

pub mod amount;
pub mod channel;
pub mod consumer;
pub mod endpoint;
pub mod key;
pub mod provider;
pub mod store;
pub mod types;
pub mod validator;

/// Locks `mutex`, whatever a panicking holder left: the programs' shared sets and maps stay
/// consistent at every point, so a panicked task must not take the daemon down with it.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
	mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
