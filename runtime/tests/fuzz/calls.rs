//! Random calls of every pallet: mostly plausible (ids that exist, amounts an account has,
//! signers who may act), so that calls get deep into the pallets' logic, and some garbage.
//! Each generator reads the chain's state to pick its arguments.

use codec::Decode;
use frame_support::{traits::GetCallMetadata, weights::Weight, BoundedVec};
use gpow_mock_runtime::Rng;
use gpow_primitives_ssk::EnvelopeHeader;
use gpow_runtime::{
	governance::{dynamic_params, RuntimeParameters},
	AccountId, Balance, BlockNumber, OriginCaller, Runtime, RuntimeCall, System,
	EXISTENTIAL_DEPOSIT, MILLI_UNIT, UNIT,
};
use pallet_pow_attest::{GateId, KeepChall, KeepPow, SignedKeepChall};
use pallet_reputation::{CitationTarget, ParamSetName, PoolParams, PoolState, Rep, Side};
use pallet_services::{InstanceStatus, Terms};
use sp_core::{ed25519, Pair, H256};
use sp_runtime::{FixedU128, MultiAddress, Perbill};

use crate::actors::Actor;

/// Who submits a generated call.
pub enum Submitter {
	/// Signed by the actor with this index.
	Signed(usize),
	/// A bare (unsigned) extrinsic.
	Bare,
	/// A general transaction (extrinsic v5, no signature) of a call that authorizes itself.
	General,
}

/// A generated extrinsic.
pub struct Action {
	/// Who submits it.
	pub by: Submitter,
	/// The call.
	pub call: RuntimeCall,
	/// `Pallet.call` (of the call dispatched as Root, for sudo-wrapped ones), for the report.
	pub label: String,
	/// Whether the call declares its own weight (`sudo_unchecked_weight`, `with_weight`): the
	/// weight check does not apply to it.
	pub own_weight: bool,
}

/// The state a generator needs besides the chain's.
pub struct Gen<'a> {
	/// The random source.
	pub rng: &'a mut Rng,
	/// The actors.
	pub actors: &'a [Actor],
}

/// Code blobs the fuzzer authorizes and applies as runtime upgrades (none is a runtime: the
/// upgrade is refused after its hash matched).
pub const CODES: [&[u8]; 3] = [b"\0asm-not-a-runtime", b"gpow-code-2", b""];

/// A preimage the fuzzer notes, by index.
fn preimage(i: u64) -> Vec<u8> {
	let len = [1usize, 100, 5_000, 40][i as usize % 4];
	vec![i as u8; len]
}

fn gate_pair(i: u64) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[0x60 + (i % 6) as u8; 32])
}

fn gate_id(i: u64) -> GateId {
	GateId(gate_pair(i).public().into())
}

fn name<S: frame_support::traits::Get<u32>>(b: &[u8]) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(b.to_vec())
}

impl Gen<'_> {
	fn pct(&mut self, p: u64) -> bool {
		self.rng.chance(p)
	}

	fn below(&mut self, n: u64) -> u64 {
		self.rng.below(n)
	}

	fn pick<T: Clone>(&mut self, v: &[T]) -> Option<T> {
		if v.is_empty() {
			None
		} else {
			Some(v[self.below(v.len() as u64) as usize].clone())
		}
	}

	/// Mostly an actor that can pay fees.
	fn actor(&mut self) -> usize {
		let funded: Vec<usize> = (0..self.actors.len())
			.filter(|i| {
				pallet_balances::Pallet::<Runtime>::free_balance(&self.actors[*i].id) > UNIT
			})
			.collect();
		match self.pick(&funded) {
			Some(i) if self.pct(85) => i,
			_ => self.below(self.actors.len() as u64) as usize,
		}
	}

	fn index_of(&mut self, who: &AccountId) -> usize {
		match self.actors.iter().position(|a| &a.id == who) {
			Some(i) => i,
			None => self.actor(),
		}
	}

	fn account(&mut self) -> AccountId {
		if self.pct(3) {
			AccountId::new([self.below(4) as u8; 32])
		} else {
			let i = self.actor();
			self.actors[i].id.clone()
		}
	}

	/// An actor holding free REP, mostly.
	fn rep_holder(&mut self) -> usize {
		let holders: Vec<usize> =
			(0..self.actors.len()).filter(|i| free_rep(&self.actors[*i].id) > 0).collect();
		match self.pick(&holders) {
			Some(i) if self.pct(90) => i,
			_ => self.actor(),
		}
	}

	fn hash(&mut self) -> H256 {
		H256::repeat_byte(self.below(8) as u8)
	}

	fn bytes(&mut self, max: u64) -> Vec<u8> {
		let len = self.below(max + 1) as usize;
		(0..len).map(|i| i as u8 ^ 0x5a).collect()
	}

	/// An amount near `typical`: mostly a fraction of it, sometimes an edge.
	fn amount(&mut self, typical: u128) -> u128 {
		match self.below(20) {
			0 => 0,
			1 => 1,
			2 => typical,
			3 => typical.saturating_add(1),
			4 => EXISTENTIAL_DEPOSIT,
			5 => EXISTENTIAL_DEPOSIT - 1,
			6 => u128::MAX,
			7 => typical.saturating_mul(10),
			_ => typical.saturating_mul(1 + self.below(100) as u128) / 100,
		}
	}

	/// A recent id below `next` (sometimes `next` itself, not issued yet).
	fn recent(&mut self, next: u64) -> u64 {
		if next == 0 || self.pct(5) {
			return next + self.below(2);
		}
		next - 1 - self.below(next.min(16))
	}

	fn perbill(&mut self) -> Perbill {
		match self.below(6) {
			0 => Perbill::zero(),
			1 => Perbill::one(),
			_ => Perbill::from_percent(self.below(101) as u32),
		}
	}

	fn now(&self) -> BlockNumber {
		System::block_number()
	}

	// ---- Reputation ----

	fn param_set(&mut self) -> ParamSetName {
		let names: Vec<ParamSetName> =
			pallet_reputation::ParameterSets::<Runtime>::iter_keys().collect();
		match self.pick(&names) {
			Some(n) if self.pct(90) => n,
			_ => ParamSetName::truncate_from(format!("set{}", self.below(3)).into_bytes()),
		}
	}

	fn pool_params(&mut self) -> PoolParams<BlockNumber, Balance> {
		PoolParams {
			duration: [0, 1, 3, 6, 20][self.below(5) as usize],
			quorum: self.perbill(),
			win_ratio: self.perbill(),
			binding: self.perbill(),
			redistribute_losing_stakes: self.pct(70),
			minting_ratio: FixedU128::from_rational(self.below(300) as u128, 100),
			stake_for_author: self.perbill(),
			citation_depth: self.below(5) as u8,
			min_fee: self.amount(10 * MILLI_UNIT),
		}
	}

	fn post_id(&mut self) -> u64 {
		let next = pallet_reputation::NextPostId::<Runtime>::get();
		self.recent(next)
	}

	/// Recent open pools still in their voting window.
	fn votable_pools(&self) -> Vec<u64> {
		let now = self.now();
		self.open_pools()
			.into_iter()
			.filter(|p| {
				pallet_reputation::Pools::<Runtime>::get(p).is_some_and(|p| p.ends_at > now)
			})
			.collect()
	}

	/// Recent pools that are open.
	fn open_pools(&self) -> Vec<u64> {
		let next = pallet_reputation::NextPoolId::<Runtime>::get();
		(next.saturating_sub(24)..next)
			.filter(|p| {
				pallet_reputation::Pools::<Runtime>::get(p)
					.is_some_and(|p| p.state == PoolState::Open)
			})
			.collect()
	}

	fn add_post(&mut self, who: usize) -> RuntimeCall {
		let n = match self.below(20) {
			0 => 0,
			1 => 9,
			_ => 1 + self.below(3) as usize,
		};
		let mut authors: Vec<(AccountId, Perbill)> = Vec::new();
		let mut left = 1_000_000_000u32;
		for k in 0..n {
			let id =
				if k == 0 && self.pct(90) { self.actors[who].id.clone() } else { self.account() };
			let part = if k + 1 == n { left } else { self.below(left as u64 + 1) as u32 };
			left -= part;
			authors.push((id, Perbill::from_parts(part)));
		}
		if self.pct(5) {
			if let Some(a) = authors.first_mut() {
				a.1 = Perbill::from_parts(a.1.deconstruct().saturating_sub(1));
			}
		}
		let mut citations = Vec::new();
		let mut budget = 1_000_000_000i64;
		for _ in 0..self.below(4) {
			let target = if self.pct(15) {
				CitationTarget::Incinerator
			} else {
				CitationTarget::Post(self.post_id())
			};
			let magnitude = self.below(budget as u64 + 1) as i64;
			budget -= magnitude;
			let weight = if self.pct(35) { -magnitude } else { magnitude };
			citations.push((target, if self.pct(3) { i32::MAX } else { weight as i32 }));
		}
		RuntimeCall::Reputation(pallet_reputation::Call::add_post {
			authors,
			content_hash: self.hash(),
			citations,
		})
	}

	fn reputation(&mut self) -> (usize, RuntimeCall) {
		use pallet_reputation::Call;
		let mut who = self.rep_holder();
		let call: RuntimeCall = match self.below(100) {
			0..=17 => self.add_post(who),
			18..=21 => Call::remove_post { post: self.post_id() }.into(),
			22..=36 => {
				let param_set = self.param_set();
				let min = pallet_reputation::ParameterSets::<Runtime>::get(&param_set)
					.map_or(MILLI_UNIT, |p| p.min_fee);
				let panel_size = match self.below(10) {
					0..=5 => 0,
					6 => 40,
					_ => 1 + self.below(5) as u32,
				};
				let fee =
					self.amount(min.saturating_mul(2)).max(if self.pct(80) { min } else { 0 });
				Call::initiate_pool { post: self.post_id(), param_set, panel_size, fee }.into()
			},
			37..=64 => {
				let open = self.votable_pools();
				let pool = match self.pick(&open) {
					Some(p) if self.pct(90) => p,
					_ => self.recent(pallet_reputation::NextPoolId::<Runtime>::get()),
				};
				// On a panel pool, mostly a member of the panel.
				let panel = pallet_reputation::Pools::<Runtime>::get(pool)
					.and_then(|p| p.panel)
					.map(|p| p.into_inner())
					.unwrap_or_default();
				if let Some(member) = self.pick(&panel) {
					if self.pct(90) {
						who = self.index_of(&member);
					}
				}
				let free = free_rep(&self.actors[who].id);
				let side = if self.pct(65) { Side::For } else { Side::Against };
				let amount = if self.pct(70) {
					free / 100 * (20 + self.below(81) as u128)
				} else {
					self.amount(free)
				};
				Call::stake { pool, side, amount }.into()
			},
			65..=79 => {
				// Mostly a pool whose window is over.
				let next = pallet_reputation::NextPoolId::<Runtime>::get();
				let due: Vec<u64> = self
					.open_pools()
					.into_iter()
					.filter(|p| {
						pallet_reputation::Pools::<Runtime>::get(p)
							.is_some_and(|p| p.ends_at <= self.now())
					})
					.collect();
				let pool = match self.pick(&due) {
					Some(p) if self.pct(85) => p,
					_ => self.recent(next),
				};
				Call::settle { pool }.into()
			},
			80..=92 => {
				// A stake in a settled pool, claimed by its staker.
				let next = pallet_reputation::NextPoolId::<Runtime>::get();
				let stakes: Vec<(u64, AccountId)> = (next.saturating_sub(32)..next)
					.filter(|p| {
						pallet_reputation::Pools::<Runtime>::get(p)
							.is_some_and(|p| p.state != PoolState::Open)
					})
					.flat_map(|p| {
						pallet_reputation::Stakes::<Runtime>::iter_key_prefix(p)
							.map(move |w| (p, w))
					})
					.collect();
				match self.pick(&stakes) {
					Some((pool, staker)) if self.pct(90) => {
						who = self.index_of(&staker);
						Call::claim { pool }.into()
					},
					_ => Call::claim { pool: self.recent(next) }.into(),
				}
			},
			_ => Call::claim_fees {}.into(),
		};
		(who, call)
	}

	// ---- Services ----

	fn terms(&mut self) -> Terms<AccountId, BlockNumber> {
		let author = self.account();
		Terms {
			panel_size: [0, 1, 2, 3, 17][self.below(5) as usize],
			param_set: self.param_set(),
			deadline: [0, 1, 3, 10, 30][self.below(5) as usize],
			author,
			author_share: Perbill::from_percent(self.below(60) as u32),
			validators_share: Perbill::from_percent(self.below(60) as u32),
			min_stake: self.amount(UNIT),
		}
	}

	fn service_type(&mut self) -> u32 {
		let next = pallet_services::NextTypeId::<Runtime>::get();
		self.recent(next.into()) as u32
	}

	/// A recent instance matching `pred` and who acts on it (`provider`: its provider, else
	/// its consumer), mostly; else a recent id and anyone.
	fn instance_where(
		&mut self,
		provider: bool,
		pred: impl Fn(&pallet_services::InstanceOf<Runtime>) -> bool,
	) -> (usize, u64) {
		let next = pallet_services::NextInstanceId::<Runtime>::get();
		let party = |i: pallet_services::InstanceOf<Runtime>| {
			if provider {
				i.provider
			} else {
				i.consumer
			}
		};
		let recent: Vec<(u64, pallet_services::InstanceOf<Runtime>)> = (next.saturating_sub(24)
			..next)
			.filter_map(|id| pallet_services::Instances::<Runtime>::get(id).map(|i| (id, i)))
			.collect();
		let matching: Vec<(u64, AccountId)> = recent
			.iter()
			.filter(|(_, i)| pred(i))
			.map(|(id, i)| (*id, party(i.clone())))
			.collect();
		// Else any existing instance (refused deeper in the call), else any id.
		let existing: Vec<(u64, AccountId)> =
			recent.into_iter().map(|(id, i)| (id, party(i))).collect();
		match self.pick(&matching).or_else(|| self.pick(&existing)) {
			Some((id, who)) if self.pct(90) => (self.index_of(&who), id),
			_ => (self.actor(), self.recent(next)),
		}
	}

	fn services(&mut self) -> (usize, RuntimeCall) {
		use pallet_services::Call;
		let mut who = self.actor();
		let call: RuntimeCall = match self.below(100) {
			0..=19 => {
				who = self.rep_holder();
				let free = free_rep(&self.actors[who].id);
				Call::offer {
					service_type: self.service_type(),
					capacity: [0, 1, 10, 100, 1000][self.below(5) as usize],
					rate: self.amount(MILLI_UNIT),
					endpoint: name(b"tcp://127.0.0.1:4000"),
					stake: self.amount(free / 2),
				}
				.into()
			},
			20..=29 => {
				let offers: Vec<(u32, AccountId)> =
					pallet_services::Offers::<Runtime>::iter_keys().take(64).collect();
				let (service_type, provider) =
					self.pick(&offers).unwrap_or((0, self.actors[who].id.clone()));
				who = self.index_of(&provider);
				let free = free_rep(&provider);
				if self.pct(25) {
					Call::withdraw_offer { service_type }.into()
				} else {
					Call::update_offer {
						service_type,
						capacity: [0, 1, 10, 100, 1000][self.below(5) as usize],
						rate: self.amount(MILLI_UNIT),
						stake: self.amount(free / 2),
					}
					.into()
				}
			},
			30..=59 => {
				let service_type = self.service_type();
				let offers: Vec<(AccountId, pallet_services::OfferOf<Runtime>)> =
					pallet_services::Offers::<Runtime>::iter_prefix(service_type)
						.take(64)
						.collect();
				let (provider, rate) = match self.pick(&offers) {
					Some((p, o)) => (Some(p), o.rate),
					None => (None, MILLI_UNIT),
				};
				Call::request {
					service_type,
					definition: self.hash(),
					payload: name(b"ssk://envelope/1"),
					volume: [0, 1, 2, 5, 20, 500][self.below(6) as usize],
					max_rate: if self.pct(70) {
						rate.saturating_mul(1 + self.below(3) as u128)
					} else {
						self.amount(rate)
					},
					provider: if self.pct(30) { provider } else { None },
				}
				.into()
			},
			60..=79 => {
				let now = self.now();
				let (by, instance) = self.instance_where(true, |i| {
					i.status == InstanceStatus::Assigned && i.deadline >= now
				});
				who = by;
				Call::submit_result { instance, result: self.hash(), evidence: self.hash() }.into()
			},
			80..=89 => {
				let now = self.now();
				let (by, instance) = self.instance_where(false, |i| {
					i.status == InstanceStatus::Assigned && i.deadline < now
				});
				who = by;
				Call::cancel { instance }.into()
			},
			_ => {
				let (by, instance) = self.instance_where(false, |i| !i.status.is_active());
				who = by;
				Call::close_instance { instance }.into()
			},
		};
		(who, call)
	}

	// ---- Governance ----

	/// A call the track may enact (mostly), or one it may not.
	fn proposal_call(&mut self, track: u16) -> RuntimeCall {
		let allowed = match track {
			0 => match self.below(5) {
				0 => RuntimeCall::Difficulty(pallet_difficulty::Call::set_target_block_time {
					target_ms: 1_000 + self.below(5_000),
				}),
				1 => self.set_parameter(),
				2 => RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
					name: ParamSetName::truncate_from(format!("set{}", self.below(3)).into_bytes()),
					params: self.pool_params(),
				}),
				3 => self.register_type(),
				_ => RuntimeCall::Utility(pallet_utility::Call::batch_all {
					calls: vec![
						RuntimeCall::Difficulty(pallet_difficulty::Call::set_target_block_time {
							target_ms: 2_000 + self.below(1_000),
						}),
						self.set_parameter(),
					],
				}),
			},
			1 => match self.below(2) {
				0 => RuntimeCall::Governance(pallet_governance::Call::authorize_upgrade {
					code_hash: sp_io::hashing::blake2_256(CODES[self.below(3) as usize]).into(),
				}),
				_ => RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
					name: ParamSetName::truncate_from(b"gov-parameters".to_vec()),
					params: self.pool_params(),
				}),
			},
			_ => RuntimeCall::Governance(pallet_governance::Call::cancel {
				proposal: self.recent(pallet_governance::NextProposalId::<Runtime>::get().into())
					as u32,
			}),
		};
		if self.pct(10) {
			let dest = MultiAddress::Id(self.account());
			RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death { dest, value: 1 })
		} else {
			allowed
		}
	}

	fn governance(&mut self) -> (usize, RuntimeCall) {
		use pallet_governance::Call;
		let mut who = self.rep_holder();
		let call: RuntimeCall = match self.below(100) {
			// The reasons of a proposal to come.
			0..=19 => self.add_post(who),
			20..=69 => {
				// A recent post that carries no proposal, proposed by one of its authors.
				let next = pallet_reputation::NextPostId::<Runtime>::get();
				let posts: Vec<(u64, AccountId)> = (next.saturating_sub(32)..next)
					.filter(|p| !pallet_governance::ProposalOfPost::<Runtime>::contains_key(p))
					.filter_map(|p| {
						pallet_reputation::Posts::<Runtime>::get(p)
							.and_then(|post| post.authors.first().map(|(a, _)| (p, a.clone())))
					})
					.collect();
				let post = match self.pick(&posts) {
					Some((p, author)) if self.pct(90) => {
						who = self.index_of(&author);
						p
					},
					_ => self.post_id(),
				};
				let track = if self.pct(3) { 7 } else { [0, 0, 0, 1, 2][self.below(5) as usize] };
				let call = self.proposal_call(track);
				Call::propose { post, track, call: Box::new(call) }.into()
			},
			70..=89 => {
				// A REP holder stakes on a governance pool.
				let pools: Vec<u64> =
					pallet_governance::ProposalOfPool::<Runtime>::iter_keys().take(32).collect();
				// Mostly a large holder with a large stake, so that pools reach their quorum.
				who = if self.pct(60) {
					(0..self.actors.len())
						.max_by_key(|i| free_rep(&self.actors[*i].id))
						.unwrap_or_default()
				} else {
					self.rep_holder()
				};
				let free = free_rep(&self.actors[who].id);
				let pool = self.pick(&pools).unwrap_or_default();
				let side = if self.pct(70) { Side::For } else { Side::Against };
				let amount = if self.pct(80) {
					free / 100 * (20 + self.below(81) as u128)
				} else {
					self.amount(free)
				};
				RuntimeCall::Reputation(pallet_reputation::Call::stake { pool, side, amount })
			},
			90..=94 => {
				who = self.actor();
				Call::enact {
					proposal: self.below(4) as u32,
					call_weight: Weight::from_parts(self.below(1 << 30), 0),
				}
				.into()
			},
			_ => Call::cancel { proposal: self.below(4) as u32 }.into(),
		};
		(who, call)
	}

	// ---- Root (through sudo) ----

	fn set_parameter(&mut self) -> RuntimeCall {
		use dynamic_params::*;
		let v = |g: &mut Self, typical: u128| {
			if g.pct(20) {
				None
			} else {
				Some(g.amount(typical))
			}
		};
		let key_value = match self.below(5) {
			0 => RuntimeParameters::Rewards(rewards::Parameters::BlockReward(
				rewards::BlockReward,
				v(self, 10 * UNIT),
			)),
			1 => RuntimeParameters::Storage(storage::Parameters::DepositBase(
				storage::DepositBase,
				v(self, 10 * MILLI_UNIT),
			)),
			2 => RuntimeParameters::Storage(storage::Parameters::DepositPerByte(
				storage::DepositPerByte,
				v(self, 100 * gpow_runtime::MICRO_UNIT),
			)),
			3 => RuntimeParameters::PowAttest(pow_attest::Parameters::EffortPerChallenge(
				pow_attest::EffortPerChallenge,
				v(self, 1 << 10).map(|e| e.min(u64::MAX as u128) as u64),
			)),
			_ => RuntimeParameters::Difficulty(difficulty::Parameters::MinDifficulty(
				difficulty::MinDifficulty,
				v(self, 1_000),
			)),
		};
		RuntimeCall::Parameters(pallet_parameters::Call::set_parameter { key_value })
	}

	fn register_type(&mut self) -> RuntimeCall {
		RuntimeCall::Services(pallet_services::Call::register_type {
			name: name(b"transcode"),
			schema: self.hash(),
			unit: name(b"minute"),
			terms: self.terms(),
		})
	}

	/// A small call for the scheduler or `dispatch_as`.
	fn small_call(&mut self) -> RuntimeCall {
		match self.below(4) {
			0 => {
				RuntimeCall::System(frame_system::Call::remark_with_event { remark: self.bytes(8) })
			},
			1 => RuntimeCall::Difficulty(pallet_difficulty::Call::set_target_block_time {
				target_ms: self.below(10_000),
			}),
			2 => RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: MultiAddress::Id(self.account()),
				value: self.amount(UNIT),
			}),
			_ => self.set_parameter(),
		}
	}

	fn root_call(&mut self) -> RuntimeCall {
		let hash_of = |i: u64| -> H256 { sp_io::hashing::blake2_256(&preimage(i)).into() };
		if pallet_services::NextTypeId::<Runtime>::get() < 2 && self.pct(50) {
			return self.register_type();
		}
		match self.below(100) {
			0..=7 => RuntimeCall::Difficulty(pallet_difficulty::Call::set_target_block_time {
				target_ms: [0, 1, 2_000, 10_000, u64::MAX][self.below(5) as usize],
			}),
			8..=19 => self.set_parameter(),
			20..=27 => RuntimeCall::Reputation(pallet_reputation::Call::set_parameter_set {
				name: if self.pct(80) {
					ParamSetName::truncate_from(format!("set{}", self.below(3)).into_bytes())
				} else {
					self.param_set()
				},
				params: self.pool_params(),
			}),
			28..=30 => RuntimeCall::Reputation(pallet_reputation::Call::remove_parameter_set {
				name: self.param_set(),
			}),
			31..=42 => self.register_type(),
			43..=47 => RuntimeCall::Services(pallet_services::Call::set_terms {
				service_type: self.service_type(),
				terms: self.terms(),
			}),
			48..=50 => RuntimeCall::Governance(pallet_governance::Call::cancel {
				proposal: self.recent(pallet_governance::NextProposalId::<Runtime>::get().into())
					as u32,
			}),
			51..=53 => RuntimeCall::Governance(pallet_governance::Call::authorize_upgrade {
				code_hash: sp_io::hashing::blake2_256(CODES[self.below(3) as usize]).into(),
			}),
			54..=56 => RuntimeCall::System(frame_system::Call::authorize_upgrade_without_checks {
				code_hash: sp_io::hashing::blake2_256(CODES[self.below(3) as usize]).into(),
			}),
			57..=62 => {
				let who = MultiAddress::Id(self.account());
				// Not `force_unreserve`: it unreserves held funds and leaves the holds (Root can
				// break the holds' accounting by design).
				match self.below(2) {
					// Within a sane range: a balance near `u128::MAX` saturates the issuance.
					0 => RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
						who,
						new_free: self.amount(1_000 * UNIT).min(1_000_000 * UNIT),
					}),
					_ => RuntimeCall::Balances(pallet_balances::Call::force_transfer {
						source: who,
						dest: MultiAddress::Id(self.account()),
						value: self.amount(1_000 * UNIT),
					}),
				}
			},
			63..=77 => {
				use pallet_scheduler::Call;
				let when = self.now() + self.below(8) as BlockNumber;
				let periodic =
					if self.pct(20) { Some((1 + self.below(3) as u32, 2)) } else { None };
				let id = [self.below(3) as u8; 32];
				let call = Box::new(self.small_call());
				let priority = self.below(256) as u8;
				RuntimeCall::Scheduler(match self.below(8) {
					0 => Call::schedule { when, maybe_periodic: periodic, priority, call },
					1 => {
						Call::schedule_named { id, when, maybe_periodic: periodic, priority, call }
					},
					2 => Call::schedule_after {
						after: self.below(5) as u32,
						maybe_periodic: periodic,
						priority,
						call,
					},
					3 => Call::cancel { when, index: self.below(3) as u32 },
					4 => Call::cancel_named { id },
					5 => Call::set_retry_named {
						id,
						retries: self.below(3) as u8,
						period: self.below(4) as u32,
					},
					6 => Call::cancel_retry { task: (when, self.below(3) as u32) },
					_ => Call::schedule_named_after {
						id,
						after: self.below(5) as u32,
						maybe_periodic: periodic,
						priority,
						call,
					},
				})
			},
			78..=82 => {
				let hash = hash_of(self.below(4));
				RuntimeCall::Preimage(if self.pct(60) {
					pallet_preimage::Call::request_preimage { hash }
				} else {
					pallet_preimage::Call::unrequest_preimage { hash }
				})
			},
			83..=90 => {
				let as_origin = if self.pct(50) {
					OriginCaller::system(frame_system::RawOrigin::Signed(self.account()))
				} else {
					OriginCaller::Governance(pallet_governance::Origin::Track(self.below(3) as u16))
				};
				let call =
					Box::new(if self.pct(50) { self.small_call() } else { self.root_call() });
				RuntimeCall::Utility(pallet_utility::Call::dispatch_as {
					as_origin: Box::new(as_origin),
					call,
				})
			},
			91..=93 => RuntimeCall::Utility(pallet_utility::Call::with_weight {
				call: Box::new(self.small_call()),
				weight: Weight::from_parts(self.below(1 << 20), 0),
			}),
			94..=96 => RuntimeCall::System(frame_system::Call::remark_with_event {
				remark: self.bytes(64),
			}),
			_ => RuntimeCall::Balances(pallet_balances::Call::force_adjust_total_issuance {
				direction: pallet_balances::AdjustmentDirection::Increase,
				delta: 0,
			}),
		}
	}

	/// A root call through sudo: mostly by the key, sometimes by another account.
	fn sudo(&mut self) -> Action {
		let key = pallet_sudo::Key::<Runtime>::get();
		let who = match key {
			Some(k) if self.pct(92) => self.index_of(&k),
			_ => self.actor(),
		};
		let inner = self.root_call();
		let meta = inner.get_call_metadata();
		let mut label = format!("{}.{} (root)", meta.pallet_name, meta.function_name);
		let own_weight = meta.function_name == "with_weight";
		let call = match self.below(100) {
			0..=3 => {
				label = "Sudo.sudo_unchecked_weight".into();
				RuntimeCall::Sudo(pallet_sudo::Call::sudo_unchecked_weight {
					call: Box::new(inner),
					weight: Weight::from_parts(self.below(1 << 30), 0),
				})
			},
			4..=9 => {
				let (as_who, call) = self.signed_call();
				label = "Sudo.sudo_as".into();
				RuntimeCall::Sudo(pallet_sudo::Call::sudo_as {
					who: MultiAddress::Id(self.actors[as_who].id.clone()),
					call: Box::new(call),
				})
			},
			10 => {
				label = "Sudo.set_key".into();
				// To an actor the fuzzer holds the key of: root stays reachable.
				let new = self.actors[self.actor()].id.clone();
				RuntimeCall::Sudo(pallet_sudo::Call::set_key { new: MultiAddress::Id(new) })
			},
			_ => RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(inner) }),
		};
		let own_weight = own_weight || label == "Sudo.sudo_unchecked_weight";
		Action { by: Submitter::Signed(who), call, label, own_weight }
	}

	// ---- The other pallets ----

	fn balances(&mut self) -> (usize, RuntimeCall) {
		use pallet_balances::Call;
		let who = self.actor();
		let free = pallet_balances::Pallet::<Runtime>::free_balance(&self.actors[who].id);
		let dest = MultiAddress::Id(self.account());
		let value = self.amount(free / 2);
		let call = match self.below(6) {
			0 | 1 => Call::transfer_allow_death { dest, value },
			2 | 3 => Call::transfer_keep_alive { dest, value },
			4 => Call::transfer_all { dest, keep_alive: self.pct(50) },
			_ => Call::burn { value: self.amount(UNIT), keep_alive: self.pct(50) },
		};
		(who, call.into())
	}

	fn ssk(&mut self) -> (usize, RuntimeCall) {
		use pallet_ssk::Call;
		let who = self.actor();
		let from = self.actors[who].id.clone();
		let call = match self.below(10) {
			0..=2 => Call::publish_key { key: [self.below(4) as u8; 32] },
			3..=8 => {
				let to = self.account();
				let version =
					pallet_ssk::EncryptionKeys::<Runtime>::get(&to).map_or(0, |k| k.version);
				let epoch = pallet_ssk::Envelopes::<Runtime>::get(&from, &to)
					.map_or(0, |e| e.envelope.header.epoch);
				let header = EnvelopeHeader {
					suite: if self.pct(95) { gpow_primitives_ssk::SUPPORTED_SUITES[0] } else { 7 },
					epoch: if self.pct(85) { epoch + 1 } else { epoch },
					recipient_key_version: if self.pct(90) { version } else { version + 1 },
					expiry: match self.below(4) {
						0 => Some(self.now() + self.below(20) as u32),
						1 => Some(self.now().saturating_sub(1)),
						_ => None,
					},
				};
				let len = [48usize, 48, 48, 0, 1, 1025][self.below(6) as usize];
				Call::post_envelope { to, header, enc: [7; 32], ciphertext: vec![9; len] }
			},
			_ => Call::revoke { to: self.account() },
		};
		(who, call.into())
	}

	fn pow_attest(&mut self) -> Action {
		use pallet_pow_attest::Call;
		let who = self.actor();
		let (by, call) = match self.below(10) {
			0..=2 => {
				let gate = self.below(6);
				let message = pallet_pow_attest::Pallet::<Runtime>::registration_message(
					&self.actors[who].id,
				);
				let signature =
					if self.pct(90) { gate_pair(gate).sign(&message).into() } else { [1; 64] };
				(
					Submitter::Signed(who),
					Call::<Runtime>::register_gate { gate: gate_id(gate), signature },
				)
			},
			3 => {
				let gate = gate_id(self.below(6));
				let by = pallet_pow_attest::Gates::<Runtime>::get(gate)
					.map_or(who, |g| self.index_of(&g.owner));
				(Submitter::Signed(by), Call::unregister_gate { gate })
			},
			_ => (Submitter::General, Call::attest { attestation: self.attestation() }),
		};
		let call: RuntimeCall = call.into();
		let meta = call.get_call_metadata();
		Action {
			by,
			label: format!("{}.{}", meta.pallet_name, meta.function_name),
			call,
			own_weight: false,
		}
	}

	/// A keep-alive attestation: mostly solved over challenges of registered gates.
	fn attestation(&mut self) -> pallet_pow_attest::AttestationOf<Runtime> {
		let round = pallet_pow_attest::Pallet::<Runtime>::current_round()
			.saturating_sub(if self.pct(80) { 0 } else { self.below(40) });
		// Mostly registered gates, the prover's challenges from others.
		let registered: Vec<u64> = (0..6)
			.filter(|i| pallet_pow_attest::Gates::<Runtime>::contains_key(gate_id(*i)))
			.collect();
		let prover = match self.pick(&registered) {
			Some(g) if self.pct(90) => g,
			_ => self.below(6),
		};
		let count = 1 + self.below(2) as usize;
		let others: Vec<u64> = registered.iter().copied().filter(|g| *g != prover).collect();
		let issuers: Vec<u64> = if self.pct(90) && !others.is_empty() {
			(0..count)
				.filter_map(|_| self.pick(&others))
				.collect::<std::collections::BTreeSet<_>>()
				.into_iter()
				.collect()
		} else {
			(0..6).filter(|i| *i != prover).take(count).collect()
		};
		let challenges = issuers
			.iter()
			.map(|&i| {
				let chall = KeepChall {
					round,
					issuer: gate_id(i),
					addressee: gate_id(prover),
					salt: [self.below(256) as u8; 16],
				};
				SignedKeepChall {
					signature: gate_pair(i).sign(&chall.signing_message()).into(),
					chall,
				}
			})
			.collect();
		let mut keep_pow = KeepPow::new(round, gate_id(prover), challenges);
		if self.pct(80) {
			let effort =
				pallet_pow_attest::Pallet::<Runtime>::keep_pow_params().effort_per_challenge;
			keep_pow.solve(effort, 0, 1 << 20);
		}
		keep_pow
			.try_into()
			.unwrap_or_else(|_| pallet_pow_attest::AttestationOf::<Runtime> {
				round,
				prover: gate_id(prover),
				challenges: Default::default(),
				nonce: 0,
			})
	}

	fn preimage_call(&mut self) -> (usize, RuntimeCall) {
		use pallet_preimage::Call;
		let who = self.actor();
		let i = self.below(4);
		let hash: H256 = sp_io::hashing::blake2_256(&preimage(i)).into();
		let call = match self.below(10) {
			0..=4 => Call::note_preimage { bytes: preimage(i) },
			5..=7 => Call::unnote_preimage { hash },
			_ => Call::ensure_updated { hashes: vec![hash, self.hash()] },
		};
		(who, call.into())
	}

	fn system(&mut self) -> Action {
		use frame_system::Call;
		let who = self.actor();
		let (by, call) = match self.below(10) {
			0..=3 => {
				(Submitter::Signed(who), Call::<Runtime>::remark { remark: self.bytes(2_000) })
			},
			4..=6 => (Submitter::Signed(who), Call::remark_with_event { remark: self.bytes(64) }),
			7 => (Submitter::Signed(who), Call::set_heap_pages { pages: 64 }),
			_ => (
				Submitter::Bare,
				Call::apply_authorized_upgrade { code: CODES[self.below(3) as usize].to_vec() },
			),
		};
		let call: RuntimeCall = call.into();
		let meta = call.get_call_metadata();
		Action {
			by,
			label: format!("{}.{}", meta.pallet_name, meta.function_name),
			// frame-system reports a whole block as the actual weight of an applied upgrade
			// (declared: its benchmark), so that nothing else fits the block.
			own_weight: meta.function_name == "apply_authorized_upgrade",
			call,
		}
	}

	fn utility(&mut self) -> (usize, RuntimeCall) {
		use pallet_utility::Call;
		let (who, first) = self.signed_call();
		let mut calls = vec![first];
		for _ in 0..self.below(3) {
			calls.push(self.signed_call().1);
		}
		let call = match self.below(6) {
			0 => Call::batch { calls },
			1 => Call::batch_all { calls },
			2 => Call::force_batch { calls },
			3 => {
				Call::as_derivative { index: self.below(3) as u16, call: Box::new(calls.remove(0)) }
			},
			4 => Call::if_else {
				main: Box::new(calls.remove(0)),
				fallback: Box::new(self.signed_call().1),
			},
			_ => Call::dispatch_as {
				as_origin: Box::new(OriginCaller::system(frame_system::RawOrigin::Root)),
				call: Box::new(calls.remove(0)),
			},
		};
		(who, call.into())
	}

	/// A signed call of a pallet whose calls accounts sign (no sudo, utility or bare calls).
	fn signed_call(&mut self) -> (usize, RuntimeCall) {
		match self.below(100) {
			0..=34 => self.reputation(),
			35..=59 => self.services(),
			60..=69 => self.governance(),
			70..=81 => self.balances(),
			82..=91 => self.ssk(),
			_ => self.preimage_call(),
		}
	}

	/// Random bytes decoded as a call, when they decode (never signed by the sudo key).
	fn garbage(&mut self) -> Option<Action> {
		let bytes: Vec<u8> = (0..2 + self.below(40)).map(|_| self.below(256) as u8).collect();
		let call = RuntimeCall::decode(&mut &bytes[..]).ok()?;
		let key = pallet_sudo::Key::<Runtime>::get();
		let who = self.actor();
		if Some(&self.actors[who].id) == key.as_ref() {
			return None;
		}
		let meta = call.get_call_metadata();
		let own_weight = matches!(
			meta.function_name,
			"sudo_unchecked_weight" | "with_weight" | "set_code" | "set_code_without_checks"
		);
		Some(Action {
			by: Submitter::Signed(who),
			label: format!("{}.{} (decoded)", meta.pallet_name, meta.function_name),
			call,
			own_weight,
		})
	}

	/// A call wrapped in `WorkPayment.with_work`: mostly an allowed call (a remark, a
	/// reputation call) with a seal mined against the chain's quote, sometimes a call off the
	/// allow-list or a random seal (old, future or weak anchors, a nonce that is no proof).
	fn work_paid(&mut self) -> (usize, RuntimeCall) {
		let who = self.actor();
		let inner = match self.below(4) {
			0 => RuntimeCall::System(frame_system::Call::remark { remark: self.bytes(16) }),
			1 => RuntimeCall::Reputation(pallet_reputation::Call::claim_fees {}),
			2 => self.reputation().1,
			_ => self.balances().1,
		};
		let id = self.actors[who].id.clone();
		let quote =
			pallet_work_payment::Pallet::<Runtime>::quote(&id, System::account_nonce(&id), &inner);
		let seal = match quote {
			Ok(q) if self.pct(80) => {
				let required = gpow_primitives_pow::U256::from(q.required_effort);
				let nonce = (0u64..)
					.find(|n| gpow_primitives_pow::nonce_effort(&q.pre_image, *n) >= required)
					.expect("some nonce meets any effort below 2^64");
				pallet_work_payment::WorkSeal { anchor: q.anchor, nonce }
			},
			_ => pallet_work_payment::WorkSeal {
				anchor: (self.now() + 2).saturating_sub(self.below(80) as BlockNumber),
				nonce: self.rng.next_u64(),
			},
		};
		let call = pallet_work_payment::Call::with_work { seal, call: Box::new(inner) };
		(who, RuntimeCall::WorkPayment(call))
	}

	/// The next extrinsic: a call of a random pallet.
	pub fn action(&mut self) -> Action {
		let signed = |(who, call): (usize, RuntimeCall)| {
			let meta = call.get_call_metadata();
			Action {
				by: Submitter::Signed(who),
				label: format!("{}.{}", meta.pallet_name, meta.function_name),
				call,
				own_weight: false,
			}
		};
		match self.below(1000) {
			0..=259 => signed(self.reputation()),
			260..=449 => signed(self.services()),
			450..=549 => signed(self.governance()),
			550..=639 => signed(self.balances()),
			640..=709 => signed(self.ssk()),
			710..=769 => self.pow_attest(),
			770..=799 => signed(self.preimage_call()),
			800..=849 => signed(self.utility()),
			850..=939 => self.sudo(),
			940..=949 => signed(self.work_paid()),
			950..=969 => self.system(),
			970..=974 => {
				let who = self.actor();
				signed((who, RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: 1 })))
			},
			_ => match self.garbage() {
				Some(action) => action,
				None => signed(self.balances()),
			},
		}
	}
}

/// `who`'s free REP.
pub fn free_rep(who: &AccountId) -> Rep {
	pallet_reputation::Accounts::<Runtime>::get(who).map_or(0, |a| a.free)
}
