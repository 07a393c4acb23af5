//! What can go wrong, by name: every failure of a call to the node, of a transaction or of
//! decoding the node's answer is an [`Error`]; none is a panic.

use std::{fmt, time::Duration};

use gpow_runtime::{Hash, RuntimeError};
use scale_info::{TypeDef, TypeInfo};
use sp_runtime::DispatchError;

/// The result of this crate's functions.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Why a call through the node failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// Nothing answered JSON-RPC over WebSocket at the URL.
	#[error("cannot connect to the node at '{url}': {reason}")]
	Connect {
		/// The URL given.
		url: String,
		/// The client's reason.
		reason: String,
	},
	/// A JSON-RPC call failed: the connection was lost, it timed out, or the node answered with
	/// an error.
	#[error("{method}: {reason}")]
	Rpc {
		/// The JSON-RPC method.
		method: &'static str,
		/// The client's or the node's reason.
		reason: String,
	},
	/// The node's answer is not what the native runtime's types describe (a node running
	/// another runtime version, or a malformed answer).
	#[error("cannot decode {what}: {reason}")]
	Decode {
		/// What was being decoded.
		what: String,
		/// Why it failed.
		reason: String,
	},
	/// The node does not run the GPoW runtime.
	#[error("the node runs the runtime '{0}', not 'gpow'")]
	NotGpow(String),
	/// The transaction pool refused the transaction: 1010 invalid (bad signature, cannot pay
	/// the fee, stale nonce...), 1014 priority too low (another transaction with the same
	/// nonce is waiting), 1016 immediately dropped (the pool is full), and the other codes of
	/// the `author` API.
	#[error("the pool refused the transaction: {message} ({code}){}", detail(.data))]
	Refused {
		/// The JSON-RPC error code.
		code: i32,
		/// The error's message.
		message: String,
		/// The error's data, usually the reason in words.
		data: Option<String>,
	},
	/// The transaction is in a block, but its call failed.
	#[error("{0}")]
	Failed(DispatchFailure),
	/// The pool dropped the transaction (it was full, or the transaction was banned).
	#[error("the pool dropped the transaction")]
	Dropped,
	/// The transaction became invalid while it waited in the pool.
	#[error("the transaction is no longer valid")]
	Invalid,
	/// Another transaction with the same sender and nonce replaced it.
	#[error("the transaction was replaced by {0:?} (same sender and nonce)")]
	Usurped(Hash),
	/// The node stopped reporting on the transaction before it was in a block.
	#[error("the node stopped reporting on the transaction before it was in a block")]
	WatchEnded,
	/// The transaction was not in a block in time.
	#[error("the transaction was not in a block within {after:?} (last status: {last})")]
	Timeout {
		/// The time waited.
		after: Duration,
		/// The last status the node reported.
		last: String,
	},
	/// The node reported the transaction in a block that does not hold it.
	#[error("block {0:?} does not hold the transaction")]
	NotInBlock(Hash),
	/// The transaction succeeded but did not emit the event its wrapper reads.
	#[error("the transaction in block {block:?} emitted no {event} event")]
	MissingEvent {
		/// The block.
		block: Hash,
		/// The event expected, as `pallet.Event`.
		event: &'static str,
	},
	/// An argument is longer than the runtime's bound.
	#[error("{what} is {len} bytes, more than the runtime's bound of {max}")]
	TooLong {
		/// The argument.
		what: &'static str,
		/// Its length.
		len: usize,
		/// The bound.
		max: u32,
	},
}

impl Error {
	/// The name of the error of a failed call (`services.ZeroCapacity`), if that is what this is.
	pub fn dispatch_name(&self) -> Option<&str> {
		match self {
			Error::Failed(failure) => Some(&failure.name),
			_ => None,
		}
	}
}

/// `: data`, or nothing.
fn detail(data: &Option<String>) -> String {
	data.as_ref().map(|d| format!(": {d}")).unwrap_or_default()
}

/// A call that failed in a block, with its error named as polkadot.js names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DispatchFailure {
	/// `pallet.Error` for a pallet's error (`services.ZeroCapacity`); otherwise the kind of
	/// dispatch error (`BadOrigin`, `Token(FundsUnavailable)`).
	pub name: String,
	/// The error's documentation (for a pallet's error), or empty.
	pub docs: String,
	/// The error as the chain reported it.
	pub error: DispatchError,
	/// The block the transaction is in.
	pub block: Hash,
}

impl DispatchFailure {
	/// Names `error`, the failure of a transaction in `block`.
	pub fn new(error: DispatchError, block: Hash) -> Self {
		let (name, docs) = match error {
			DispatchError::Module(module) => module_error(module.index, module.error[0])
				.unwrap_or_else(|| {
					(format!("module {}.{}", module.index, module.error[0]), String::new())
				}),
			other => (format!("{other:?}"), String::new()),
		};
		DispatchFailure { name, docs, error, block }
	}

	/// The error as the runtime's [`RuntimeError`], to match on a pallet's error type:
	/// `RuntimeError::Services(pallet_services::Error::ZeroCapacity)`.
	pub fn runtime_error(&self) -> Option<RuntimeError> {
		RuntimeError::from_dispatch_error(self.error)
	}
}

impl fmt::Display for DispatchFailure {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{} (in block {:?})", self.name, self.block)?;
		if !self.docs.is_empty() {
			write!(f, ": {}", self.docs)?;
		}
		Ok(())
	}
}

/// The pallet (lower camel case, as in polkadot.js), the error's name and its documentation
/// of error `error` of the pallet at `index`, read from the native runtime's type information.
fn module_error(index: u8, error: u8) -> Option<(String, String)> {
	let TypeDef::Variant(pallets) = RuntimeError::type_info().type_def else { return None };
	let pallet = pallets.variants.iter().find(|p| p.index == index)?;
	let TypeDef::Variant(errors) = pallet.fields.first()?.ty.type_info().type_def else {
		return None;
	};
	let variant = errors.variants.iter().find(|e| e.index == error)?;
	let mut section = pallet.name.to_string();
	if let Some(first) = section.get_mut(..1) {
		first.make_ascii_lowercase();
	}
	Some((format!("{section}.{}", variant.name), variant.docs.join(" ")))
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::ModuleError;

	fn module(index: u8, error: u8) -> DispatchError {
		DispatchError::Module(ModuleError { index, error: [error, 0, 0, 0], message: None })
	}

	#[test]
	fn pallet_errors_are_named_as_polkadot_js_names_them() {
		// pallet-services is index 10; `ZeroCapacity` is its error 8.
		let failure = DispatchFailure::new(module(10, 8), Hash::zero());
		assert_eq!(failure.name, "services.ZeroCapacity");
		assert_eq!(failure.docs, "Capacity must be more than zero.");
		assert!(matches!(
			failure.runtime_error(),
			Some(RuntimeError::Services(pallet_services::Error::ZeroCapacity))
		));
		// Two words: pallet-work-payment is `WorkPayment`, index 16.
		assert!(DispatchFailure::new(module(16, 0), Hash::zero())
			.name
			.starts_with("workPayment."));
	}

	#[test]
	fn other_errors_keep_their_kind() {
		assert_eq!(DispatchFailure::new(DispatchError::BadOrigin, Hash::zero()).name, "BadOrigin");
		let unknown = DispatchFailure::new(module(200, 3), Hash::zero());
		assert_eq!(unknown.name, "module 200.3");
		assert!(unknown.runtime_error().is_none());
	}
}
