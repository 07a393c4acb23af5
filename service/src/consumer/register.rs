//! `register-types`: on a dev or test chain, the sudo key creates a reputation parameter set for
//! market panels with a short window and registers the two service types with it. Idempotent:
//! a type already registered with the same name, unit and terms is reported, not registered
//! again.

use gpow_market::ServiceKind;
use gpow_market_client::{Chain, DispatchFailure, Error as ChainError, Included};
use gpow_runtime::{configs::ReputationDefaultParams, AccountId, RuntimeCall, RuntimeEvent, UNIT};
use pallet_reputation::ParamSetName;
use serde_json::json;
use sp_core::{crypto::Ss58Codec, sr25519, Get, Pair};
use sp_runtime::Perbill;

use super::{cli::RegisterTypes, context::Output, ConsumerError, ConsumerResult};
use crate::types;

/// The registered name and volume unit of a kind.
pub fn name_and_unit(kind: ServiceKind) -> (&'static str, &'static str) {
	match kind {
		ServiceKind::Range => ("range compute", "1024 values"),
		ServiceKind::Storage => ("storage for a time", "chunk"),
	}
}

/// The parameter set of market panels with a window of `window` blocks: `market-w<window>`.
fn param_set_name(window: u32) -> ParamSetName {
	// At most 18 bytes, within the bound of 32.
	ParamSetName::truncate_from(format!("market-w{window}").into_bytes())
}

/// Submits `call` through sudo, signed by `sudo`; the inner call's failure is named too.
async fn sudo(chain: &Chain, sudo: &sr25519::Pair, call: RuntimeCall) -> ConsumerResult<()> {
	let wrapped = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	let included: Included = chain.submit(sudo, wrapped).await.map_err(|e| {
		if e.dispatch_name() == Some("sudo.RequireSudo") {
			ConsumerError::NotSudo(AccountId::from(sudo.public()).to_ss58check())
		} else {
			e.into()
		}
	})?;
	let inner = included.find(|event| match event {
		RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => Some(*sudo_result),
		_ => None,
	});
	match inner {
		Some(Err(error)) => {
			Err(ChainError::Failed(DispatchFailure::new(error, included.block)).into())
		},
		_ => Ok(()),
	}
}

/// Runs `register-types`.
pub async fn run(chain: &Chain, output: Output, args: &RegisterTypes) -> ConsumerResult<()> {
	let sudo_key = super::context::key(&args.sudo)?;
	let param_set = param_set_name(args.window);
	let terms = pallet_services::Terms {
		panel_size: args.panel,
		param_set: param_set.clone(),
		deadline: args.deadline,
		author: AccountId::from(sudo_key.public()),
		author_share: Perbill::from_percent(args.author_share),
		validators_share: Perbill::from_percent(args.validators_share),
		min_stake: u128::from(args.min_stake).saturating_mul(UNIT),
	};
	let mut param_set_made = false;
	for kind in ServiceKind::ALL {
		let (name, unit) = name_and_unit(kind);
		let same = |t: &gpow_market_client::ServiceType| {
			t.name.as_slice() == name.as_bytes()
				&& t.unit.as_slice() == unit.as_bytes()
				&& t.terms == terms
		};
		let existing = types::find(chain, kind).await?.filter(|(_, t)| same(t));
		let (id, registered) = match existing {
			Some((id, _)) => (id, false),
			None => {
				if !param_set_made {
					let mut params = ReputationDefaultParams::get();
					params.duration = args.window;
					let call = pallet_reputation::Call::set_parameter_set {
						name: param_set.clone(),
						params,
					};
					sudo(chain, &sudo_key, RuntimeCall::Reputation(call)).await?;
					param_set_made = true;
				}
				let call = pallet_services::Call::register_type {
					name: bounded(name)?,
					schema: kind.schema().into(),
					unit: bounded(unit)?,
					terms: terms.clone(),
				};
				sudo(chain, &sudo_key, RuntimeCall::Services(call)).await?;
				let (id, _) = types::find(chain, kind)
					.await?
					.ok_or(ConsumerError::NoServiceType(kind.name()))?;
				(id, true)
			},
		};
		let what = if registered { "registered" } else { "already registered" };
		output.emit(
			format!("{name} ({kind}): service type {id}, {what}"),
			json!({
				"command": "register-types",
				"kind": kind.name(),
				"name": name,
				"serviceType": id,
				"registered": registered,
				"paramSet": String::from_utf8_lossy(&param_set),
				"window": args.window,
				"deadline": args.deadline,
				"panel": args.panel,
			}),
		);
	}
	Ok(())
}

/// `text` as a name within the runtime's bound.
fn bounded<S: Get<u32>>(text: &str) -> ConsumerResult<sp_core::bounded::BoundedVec<u8, S>> {
	text.as_bytes()
		.to_vec()
		.try_into()
		.map_err(|_| ConsumerError::BadDefinition(format!("{text:?} is too long for the chain")))
}
