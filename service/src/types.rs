//! The registered service types the programs implement, found by their schema hash
//! ([`ServiceKind::schema`]).

use gpow_market::ServiceKind;
use gpow_market_client::{Chain, Result, ServiceType};
use pallet_services::ServiceTypeId;

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
