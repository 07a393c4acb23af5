//! What the three programs read the same way from the chain: whether the node runs the runtime
//! they were built with ([`check_native`]), the registered service types they implement, found
//! by their schema hash ([`ServiceKind::schema`]), and instance statuses in words.

use gpow_market::ServiceKind;
use gpow_market_client::{Chain, Result, RuntimeVersion, ServiceType};
use gpow_runtime::{BlockNumber, Hash};
use pallet_services::{InstanceStatus, ServiceTypeId};

/// The blocks a storage provider needs between the end of its term and the deadline to get its
/// result into a block: a provider refuses a longer term.
pub const SUBMIT_MARGIN: BlockNumber = 3;

/// The longest storage term a type with a deadline of `deadline` blocks takes: the term and
/// [`SUBMIT_MARGIN`] fit before the deadline.
pub fn longest_term(deadline: BlockNumber) -> BlockNumber {
	deadline.saturating_sub(SUBMIT_MARGIN).max(1)
}

/// The node runs another runtime than the one the program was built with.
#[derive(Debug, thiserror::Error)]
#[error(
	"the node runs runtime {node}, this program was built for {native}: rebuild it with the \
	 node's runtime"
)]
pub struct NotNative {
	/// The node's runtime: `name spec/transaction` versions.
	pub node: String,
	/// The program's.
	pub native: String,
}

/// Refuses a node whose runtime (`version`) is not the one the program was built with: the
/// programs encode calls and decode events and storage with the native runtime's types.
pub fn check_native(version: &RuntimeVersion) -> std::result::Result<(), NotNative> {
	let describe = |v: &RuntimeVersion| {
		format!("{} {}/{}", v.spec_name, v.spec_version, v.transaction_version)
	};
	if version.is_native() {
		return Ok(());
	}
	Err(NotNative { node: describe(version), native: describe(&RuntimeVersion::native()) })
}

/// An instance status's name, and the outcome of a finished instance for its consumer (`paid`,
/// `refunded`, `cancelled`).
pub fn status_name(status: &InstanceStatus<Hash>) -> (&'static str, Option<&'static str>) {
	match status {
		InstanceStatus::Assigned => ("assigned", None),
		InstanceStatus::Evaluating { .. } => ("evaluating", None),
		InstanceStatus::Completed => ("completed", Some("paid")),
		InstanceStatus::Failed => ("failed", Some("refunded")),
		InstanceStatus::Unjudged => ("unjudged", Some("refunded")),
		InstanceStatus::Cancelled => ("cancelled", Some("cancelled")),
		InstanceStatus::Declined => ("declined", Some("refunded")),
	}
}

/// The kind of a registered type, if it is one the programs implement.
pub fn kind_of(service_type: &ServiceType) -> Option<ServiceKind> {
	ServiceKind::from_schema(&service_type.schema.0)
}

/// The service type of `kind` with the highest id (a type registered again, with new terms,
/// replaces the older one for new work), at the best block.
pub async fn find(
	chain: &Chain,
	kind: ServiceKind,
) -> Result<Option<(ServiceTypeId, ServiceType)>> {
	let next = chain.next_type_id(None).await?;
	for id in (0..next).rev() {
		if let Some(service_type) = chain.service_type(id, None).await? {
			if kind_of(&service_type) == Some(kind) {
				return Ok(Some((id, service_type)));
			}
		}
	}
	Ok(None)
}
