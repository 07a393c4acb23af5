//! The provider's offers on chain, made or brought in line with the command line at start.

use gpow_market_client::Chain;
use gpow_runtime::{AccountId, RuntimeCall};
use pallet_services::ServiceTypeId;
use sp_core::{sr25519, Pair};

use crate::{
	provider::{cli::OfferSpec, say, ProviderError},
	types,
};

/// What [`ensure_offer`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferChange {
	/// A new offer.
	Offered,
	/// The offer's capacity, rate or stake changed (`update_offer`).
	Updated,
	/// The offer on chain is the one asked for.
	Unchanged,
}

/// What to change of the offer `(capacity, rate, stake, active instances)` on chain to make it
/// `spec`, if anything: the capacity, rate and stake to pass to `update_offer`. The stake is
/// left as it is while instances are active, since the stake on chain then leaves out what is
/// in evaluation pools.
pub fn update_for(on_chain: (u64, u128, u128, u32), spec: &OfferSpec) -> Option<(u64, u128, u128)> {
	let (capacity, rate, stake, active) = on_chain;
	let stake = if active == 0 { spec.stake } else { stake };
	let wanted = (spec.capacity, spec.rate, stake);
	(wanted != (capacity, rate, on_chain.2)).then_some(wanted)
}

/// Makes `provider`'s offer of `spec.kind` the one `spec` describes, reachable at `endpoint`:
/// `offer` when there is none, `update_offer` when capacity, rate or stake differ. Returns the
/// service type and what was done.
pub async fn ensure_offer(
	chain: &Chain,
	provider: &sr25519::Pair,
	spec: &OfferSpec,
	endpoint: &str,
) -> Result<(ServiceTypeId, OfferChange), ProviderError> {
	let kind = spec.kind;
	let (service_type, _) = types::find(chain, kind).await?.ok_or(ProviderError::NoType(kind))?;
	let account = AccountId::from(provider.public());
	let failed = |error| ProviderError::Offer { kind, error };
	let terms = format!(
		"capacity {}, rate {} GPOW, stake {} REP",
		spec.capacity,
		crate::amount::format(spec.rate),
		crate::amount::format(spec.stake)
	);
	let Some(offer) = chain.offer_of(service_type, &account, None).await? else {
		let endpoint = endpoint.as_bytes().to_vec();
		chain
			.offer(provider, service_type, spec.capacity, spec.rate, endpoint, spec.stake)
			.await
			.map_err(failed)?;
		say!("offered {kind} (type {service_type}): {terms}");
		return Ok((service_type, OfferChange::Offered));
	};
	if offer.endpoint.as_slice() != endpoint.as_bytes() {
		say!(
			"the offer of {kind} names the endpoint {} on chain, not {endpoint}: update_offer \
			 cannot change it (withdraw the offer to change it)",
			String::from_utf8_lossy(&offer.endpoint)
		);
	}
	let on_chain = (offer.capacity, offer.rate, offer.stake, offer.active);
	let Some((capacity, rate, stake)) = update_for(on_chain, spec) else {
		say!("offer of {kind} (type {service_type}) unchanged: {terms}");
		return Ok((service_type, OfferChange::Unchanged));
	};
	let call = pallet_services::Call::update_offer { service_type, capacity, rate, stake };
	chain.submit(provider, RuntimeCall::Services(call)).await.map_err(failed)?;
	say!("updated the offer of {kind} (type {service_type}): {terms}");
	Ok((service_type, OfferChange::Updated))
}

#[cfg(test)]
mod tests {
	use super::*;
	use gpow_market::ServiceKind;

	#[test]
	fn an_offer_is_updated_only_when_it_differs() {
		let spec = OfferSpec { kind: ServiceKind::Range, capacity: 10, rate: 2, stake: 100 };
		assert_eq!(update_for((10, 2, 100, 0), &spec), None);
		assert_eq!(update_for((5, 2, 100, 0), &spec), Some((10, 2, 100)));
		assert_eq!(update_for((10, 3, 100, 0), &spec), Some((10, 2, 100)));
		assert_eq!(update_for((10, 2, 50, 0), &spec), Some((10, 2, 100)));
		// 50 of the stake is in a pool: the stake on chain is not compared, nor changed.
		assert_eq!(update_for((10, 2, 50, 1), &spec), None);
		assert_eq!(update_for((8, 2, 50, 1), &spec), Some((10, 2, 50)));
	}
}
