//! What must hold after every block, whatever the extrinsics: the token's accounting, every
//! deposit backed by its record and every record by its deposit, each pallet's own invariants
//! (`do_try_state`) and the block's weight within its limits.

use frame_support::dispatch::DispatchClass;
use gpow_runtime::{
	configs::RuntimeBlockWeights, AccountId, Balances, Difficulty, Governance, PowAttest,
	Reputation, Rewards, Runtime, RuntimeHoldReason, Services, System, WorkPayment,
};
use std::collections::{BTreeMap, BTreeSet};

/// Checks everything; the first broken invariant, if any.
pub fn check() -> Result<(), String> {
	token()?;
	deposits()?;
	Reputation::do_try_state().map_err(|e| format!("reputation: {e:?}"))?;
	Services::do_try_state().map_err(|e| format!("services: {e:?}"))?;
	Governance::do_try_state().map_err(|e| format!("governance: {e:?}"))?;
	Difficulty::do_try_state().map_err(|e| format!("difficulty: {e:?}"))?;
	PowAttest::do_try_state().map_err(|e| format!("pow-attest: {e:?}"))?;
	Rewards::do_try_state().map_err(|e| format!("rewards: {e:?}"))?;
	WorkPayment::do_try_state().map_err(|e| format!("work-payment: {e:?}"))?;
	block_weight()
}

/// Total issuance is the sum of every account's free and reserved balance, and an account's
/// reserved balance is exactly its holds (nothing in this runtime reserves).
fn token() -> Result<(), String> {
	let mut sum: u128 = 0;
	for (who, info) in frame_system::Account::<Runtime>::iter() {
		let d = info.data;
		sum = sum
			.checked_add(d.free)
			.and_then(|s| s.checked_add(d.reserved))
			.ok_or("balances overflow")?;
		let held: u128 =
			pallet_balances::Holds::<Runtime>::get(&who).iter().map(|h| h.amount).sum();
		if held != d.reserved {
			return Err(format!("{who}: reserved {} but holds {held}", d.reserved));
		}
	}
	let issuance = Balances::total_issuance();
	if sum != issuance {
		return Err(format!("total issuance {issuance} but the accounts hold {sum}"));
	}
	if Balances::inactive_issuance() > issuance {
		return Err("inactive issuance above total issuance".into());
	}
	Ok(())
}

/// The accounts holding each kind of deposit.
fn holders() -> BTreeMap<String, BTreeSet<AccountId>> {
	let mut holders: BTreeMap<String, BTreeSet<AccountId>> = BTreeMap::new();
	for (who, holds) in pallet_balances::Holds::<Runtime>::iter() {
		for h in holds.iter().filter(|h| h.amount > 0) {
			holders.entry(format!("{:?}", h.id)).or_default().insert(who.clone());
		}
	}
	holders
}

/// Who must hold each kind of deposit, from the records that carry one.
fn expected_holders() -> BTreeMap<String, BTreeSet<AccountId>> {
	let mut expected: BTreeMap<String, BTreeSet<AccountId>> = BTreeMap::new();
	let mut add = |reason: RuntimeHoldReason, who: AccountId| {
		expected.entry(format!("{reason:?}")).or_default().insert(who);
	};
	for who in pallet_ssk::EncryptionKeys::<Runtime>::iter_keys() {
		add(pallet_ssk::HoldReason::EncryptionKey.into(), who);
	}
	for (from, _) in pallet_ssk::Envelopes::<Runtime>::iter_keys() {
		add(pallet_ssk::HoldReason::Envelope.into(), from);
	}
	for post in pallet_reputation::Posts::<Runtime>::iter_values() {
		add(pallet_reputation::HoldReason::PostDeposit.into(), post.poster);
	}
	for gate in pallet_pow_attest::Gates::<Runtime>::iter_values() {
		add(pallet_pow_attest::HoldReason::GateRegistration.into(), gate.owner);
	}
	for (_, provider) in pallet_services::Offers::<Runtime>::iter_keys() {
		add(pallet_services::HoldReason::OfferDeposit.into(), provider);
	}
	for instance in pallet_services::Instances::<Runtime>::iter_values() {
		if instance.status.is_active() && instance.fee > 0 {
			add(pallet_services::HoldReason::Escrow.into(), instance.consumer.clone());
		}
		add(pallet_services::HoldReason::InstanceDeposit.into(), instance.consumer);
	}
	for p in pallet_governance::Proposals::<Runtime>::iter_values() {
		if p.status == pallet_governance::ProposalStatus::Voting {
			add(pallet_governance::HoldReason::ProposalDeposit.into(), p.proposer);
		}
	}
	for status in pallet_preimage::RequestStatusFor::<Runtime>::iter_values() {
		use pallet_preimage::RequestStatus::*;
		match status {
			Unrequested { ticket: (who, _), .. }
			| Requested { maybe_ticket: Some((who, _)), .. } => {
				add(pallet_preimage::HoldReason::Preimage.into(), who)
			},
			Requested { maybe_ticket: None, .. } => {},
		}
	}
	expected
}

/// Every stored item that carries a deposit has it held from its owner, and nothing else is
/// held: each hold reason's holders are exactly the owners of its records. Escrow adds up to
/// `TotalEscrow`.
fn deposits() -> Result<(), String> {
	let actual = holders();
	let expected = expected_holders();
	let reasons: BTreeSet<&String> = actual.keys().chain(expected.keys()).collect();
	for reason in reasons {
		let (a, e) = (actual.get(reason), expected.get(reason));
		let empty = BTreeSet::new();
		let (a, e) = (a.unwrap_or(&empty), e.unwrap_or(&empty));
		if a != e {
			let missing: Vec<_> = e.difference(a).collect();
			let stray: Vec<_> = a.difference(e).collect();
			return Err(format!(
				"{reason}: no deposit held from {missing:?}; held without a record from {stray:?}"
			));
		}
	}
	let escrow_reason: RuntimeHoldReason = pallet_services::HoldReason::Escrow.into();
	let escrow: u128 = pallet_balances::Holds::<Runtime>::iter_values()
		.flat_map(|holds| holds.into_iter())
		.filter(|h| h.id == escrow_reason)
		.map(|h| h.amount)
		.sum();
	let total = pallet_services::TotalEscrow::<Runtime>::get();
	if escrow != total {
		return Err(format!("escrow holds {escrow} but TotalEscrow {total}"));
	}
	Ok(())
}

/// The block's weight per class is within its class limit, and the total within the block's.
fn block_weight() -> Result<(), String> {
	let limits = RuntimeBlockWeights::get();
	let used = System::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		let max = limits.get(class).max_total.unwrap_or(limits.max_block);
		if !used.get(class).all_lte(max) {
			return Err(format!("{class:?} weight {:?} above its limit {max:?}", used.get(class)));
		}
	}
	if !used.total().all_lte(limits.max_block) {
		return Err(format!(
			"block weight {:?} above the limit {:?}",
			used.total(),
			limits.max_block
		));
	}
	Ok(())
}
