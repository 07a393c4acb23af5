//! The configuration of every pallet of the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU128, ConstU32, ConstU64, ConstU8, EqualPrivilegeOnly,
		LinearStoragePrice, VariantCountOf,
	},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
	PalletId,
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{traits::One, FixedU128, Perbill};
use sp_version::RuntimeVersion;

use super::{
	governance::{self, EmergencyOrigin, ParametersOrigin, UpgradeOrigin},
	weights, AccountId, Balance, Balances, Block, BlockNumber, Difficulty, Governance, Hash, Nonce,
	OriginCaller, PalletInfo, Preimage, Reputation, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, Scheduler, Services,
	System, EXISTENTIAL_DEPOSIT, MILLI_UNIT, SS58_PREFIX, VERSION,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// A block's compute budget: 1 s of ref time (the proof size is unbounded: no relay chain).
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Blocks may take up to 1 s of compute (75 % of it for normal transactions): PoW blocks come
	/// every 2 s on dev and 10 s on live, and a full block of transfers executes in well under
	/// half of its weight (`bash scripts/tps.sh` prints both). The base costs of a block and of
	/// an extrinsic are measured in this runtime (`weights::{block,extrinsic}_weights`).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(weights::block_weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = weights::extrinsic_weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			class.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores its state in ParityDB only (RocksDB is not compiled in): its read and write
	/// costs, from polkadot-sdk's measurements of ParityDB.
	type DbWeight = ParityDbWeight;
	type SystemWeightInfo = weights::frame_system::WeightInfo<Runtime>;
	/// `CheckNonce`, `CheckWeight`, `CheckGenesis`, ...: measured like the pallets.
	type ExtensionsWeightInfo = weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	/// Every new timestamp feeds the difficulty retarget.
	type OnTimestampSet = Difficulty;
	/// PoW blocks may come in quick succession; 100 ms keeps timestamps strictly increasing.
	type MinimumPeriod = ConstU64<100>;
	type WeightInfo = weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees and tips go to the block's miner.
	type OnChargeTransaction = FungibleAdapter<Balances, pallet_rewards::FeesToAuthor<Runtime>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = weights::pallet_sudo::WeightInfo<Runtime>;
}

impl pallet_difficulty::Config for Runtime {
	/// Kulupu's retarget: a 60-block window, damping 3, clamping 2.
	type WindowSize = ConstU32<60>;
	type DampFactor = ConstU32<3>;
	type ClampFactor = ConstU32<2>;
	/// Governed (`Parameters`), clamped to `[1,000, 2^40]`.
	type MinDifficulty = governance::MinDifficulty;
	type AdminOrigin = ParametersOrigin;
	type WeightInfo = pallet_difficulty::weights::SubstrateWeight<Runtime>;
}

impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	/// Governed (`Parameters`), clamped to `[0.001, 1,000]` GPOW.
	type BlockReward = governance::BlockReward;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const SskKeyHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Ssk(pallet_ssk::HoldReason::EncryptionKey);
	pub const SskEnvelopeHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Ssk(pallet_ssk::HoldReason::Envelope);
}

/// The deposit of stored data: linear in its encoded size, held on Balances. Base and per-byte
/// price are governed (`Parameters`; 0.01 GPOW per item plus 0.0001 GPOW per byte at genesis).
type StorageDeposit<Reason> = HoldConsideration<
	AccountId,
	Balances,
	Reason,
	LinearStoragePrice<governance::DepositBase, governance::DepositPerByte, Balance>,
>;

impl pallet_ssk::Config for Runtime {
	type KeyConsideration = StorageDeposit<SskKeyHoldReason>;
	type EnvelopeConsideration = StorageDeposit<SskEnvelopeHoldReason>;
	type MaxCiphertextLen = ConstU32<1024>;
	type WeightInfo = pallet_ssk::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const ReputationPostHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Reputation(pallet_reputation::HoldReason::PostDeposit);
	pub const ReputationPalletId: PalletId = PalletId(*b"gpow/rep");
	/// The `default` pool parameter set: the DAO Governance Framework's defaults (minting ratio
	/// 1, half the minted REP staked for the authors, win ratio 50 %, citation depth 3), with a
	/// 10 % quorum, full binding with redistribution, and a window of about a day.
	pub ReputationDefaultParams: pallet_reputation::PoolParams<BlockNumber, Balance> =
		pallet_reputation::PoolParams {
			duration: 14_400,
			quorum: Perbill::from_percent(10),
			win_ratio: Perbill::from_percent(50),
			binding: Perbill::from_percent(100),
			redistribute_losing_stakes: true,
			minting_ratio: FixedU128::one(),
			stake_for_author: Perbill::from_percent(50),
			citation_depth: 3,
			min_fee: 10 * MILLI_UNIT,
		};
}

impl pallet_reputation::Config for Runtime {
	type Currency = Balances;
	type PostConsideration = StorageDeposit<ReputationPostHoldReason>;
	type ParamsOrigin = ParametersOrigin;
	/// The service market pays, refunds or slashes when the pool judging an instance settles;
	/// governance schedules (or drops) a proposal when its pool settles. Each acts only on the
	/// pools it opened.
	type OutcomeHandler = (Services, Governance);
	type PalletId = ReputationPalletId;
	type MaxAuthors = ConstU32<8>;
	type MaxCitations = ConstU32<8>;
	type MaxCitationDepth = ConstU8<3>;
	type MaxPropagationVisits = ConstU32<32>;
	type MaxPanelSize = ConstU32<32>;
	/// 16^5 = 1,048,576 drawable members.
	type SortitionLevels = ConstU32<5>;
	type DefaultParams = ReputationDefaultParams;
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const PowAttestGateHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::PowAttest(pallet_pow_attest::HoldReason::GateRegistration);
}

impl pallet_pow_attest::Config for Runtime {
	/// The deposit of a registered gate: the anti-sybil knob.
	type GateConsideration = StorageDeposit<PowAttestGateHoldReason>;
	/// The gates' default keep-alive period (`KeepAliveConfig::default().period_ms`).
	type RoundPeriod = ConstU64<30_000>;
	/// Rounds back an attestation may still land (10 minutes).
	type RoundWindow = ConstU64<20>;
	/// Pool validation uses the parent's timestamp, which lags the wall clock.
	type MaxFutureRounds = ConstU64<10>;
	/// The gates' default effort per challenge (must not exceed what gates demand); governed
	/// (`Parameters`), clamped to `[2^8, 2^20]`.
	type EffortPerChallenge = governance::EffortPerChallenge;
	/// The gates' default `max_challenges`.
	type MaxChallenges = ConstU32<1024>;
	type MaxAttestationsPerRound = ConstU32<512>;
	/// More than `RoundWindow + MaxFutureRounds + 1`; the rest is backlog slack.
	type MaxTrackedRounds = ConstU32<64>;
	type MaxPrunePerBlock = ConstU32<1024>;
	/// The work's own effort ranks attestations; any tip ranks above them.
	type UnsignedPriority = ConstU64<0>;
	type WeightInfo = pallet_pow_attest::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const ServicesOfferHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Services(pallet_services::HoldReason::OfferDeposit);
	pub const ServicesInstanceHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Services(pallet_services::HoldReason::InstanceDeposit);
}

/// Sets up the services and governance benchmarks: REP through the reputation pallet, and
/// calls the `parameters` track allows.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_services::BenchmarkHelper<AccountId> for BenchmarkHelper {
	fn endow_rep(who: &AccountId, amount: pallet_reputation::Rep) {
		pallet_reputation::Pallet::<Runtime>::benchmark_mint(who, amount);
	}
}

impl pallet_services::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = Reputation;
	/// Governance (the `parameters` track) registers service types and sets their terms.
	type TypeOrigin = ParametersOrigin;
	type OfferConsideration = StorageDeposit<ServicesOfferHoldReason>;
	type InstanceConsideration = StorageDeposit<ServicesInstanceHoldReason>;
	type MaxNameLen = ConstU32<64>;
	type MaxEndpointLen = ConstU32<128>;
	type MaxPayloadLen = ConstU32<256>;
	/// At most the reputation pallet's `MaxPanelSize` (32).
	type MaxPanelSize = ConstU32<16>;
	type WeightInfo = pallet_services::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

parameter_types! {
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// Scheduled enactments may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) *
		RuntimeBlockWeights::get().max_block;
	/// A governance proposal's call may use up to half the scheduler's budget.
	pub MaxGovernanceCallWeight: Weight = Perbill::from_percent(50) *
		MaximumSchedulerWeight::get();
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	/// Anyone noting a preimage pays the storage deposit; governance notes proposals' calls
	/// itself, covered by the proposal deposit.
	type Consideration = StorageDeposit<PreimageHoldReason>;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	/// Only Root schedules directly; governance schedules through its own pallet.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = weights::pallet_scheduler::WeightInfo<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = weights::pallet_utility::WeightInfo<Runtime>;
}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = governance::RuntimeParameters;
	/// Every key is the `parameters` track's (or Root's).
	type AdminOrigin = governance::ParametersAdminOrigin;
	/// pallet-parameters exports only its `()` weights (the same measured times, priced with
	/// RocksDB's read and write weights).
	type WeightInfo = weights::pallet_parameters::WeightInfo<Runtime>;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_governance::BenchmarkHelper<AccountId, RuntimeCall> for BenchmarkHelper {
	fn endow_rep(who: &AccountId, amount: pallet_reputation::Rep) {
		<Self as pallet_services::BenchmarkHelper<AccountId>>::endow_rep(who, amount);
	}

	fn allowed_call(len: u32) -> (pallet_governance::TrackId, RuntimeCall) {
		// One `set_target_block_time` encodes in 10 bytes; a batch adds its call index (2 bytes)
		// and its length (up to 4): a batch of `(len - 6) / 10` of them.
		let calls = (0..(len.saturating_sub(6) / 10).max(1))
			.map(|i| {
				RuntimeCall::Difficulty(pallet_difficulty::Call::set_target_block_time {
					target_ms: 2_000 + u64::from(i),
				})
			})
			.collect();
		(
			governance::PARAMETERS_TRACK,
			RuntimeCall::Utility(pallet_utility::Call::batch_all { calls }),
		)
	}
}

impl pallet_governance::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = Reputation;
	type Preimages = Preimage;
	type Scheduler = Scheduler;
	type TrackCalls = governance::TrackCalls;
	type CancelOrigin = EmergencyOrigin;
	type UpgradeOrigin = UpgradeOrigin;
	/// Proposals carry parameter changes and upgrade authorizations, never code: 16 KiB.
	type MaxCallLen = ConstU32<{ 16 * 1024 }>;
	/// Half the scheduler's budget of a block (40 % of a block): an enactment always fits.
	type MaxCallWeight = MaxGovernanceCallWeight;
	/// One account may keep two proposals voting or scheduled per track.
	type MaxActivePerProposer = ConstU32<2>;
	type WeightInfo = pallet_governance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

parameter_types! {
	/// An anchor may be up to 64 blocks old: about 2 minutes on the development chain, 11 on
	/// the live one; far below `BlockHashCount`.
	pub const WorkAnchorWindow: BlockNumber = 64;
	/// Governance may give work-paid transactions at most half of a block.
	pub const MaxWorkBlockShare: Perbill = Perbill::from_percent(50);
	/// The multiplier steers toward a half-full work share.
	pub const WorkTargetFullness: Perbill = Perbill::from_percent(50);
	/// A full share raises the multiplier by 25 % per block; an empty one lowers it by 25 %.
	pub const WorkAdjustment: Perbill = Perbill::from_percent(50);
	/// The required effort grows at most 1,024-fold under sustained work load.
	pub MaxWorkMultiplier: FixedU128 = FixedU128::from_u32(1024);
}

impl pallet_work_payment::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type AdminOrigin = ParametersOrigin;
	type AnchorWindow = WorkAnchorWindow;
	/// 4 KiB: a stake, a claim or a settle is a few dozen bytes.
	type MaxWorkTxLength = ConstU32<4096>;
	/// 64 a block (6 a second on the live chain): work pays for a REP holder's occasional
	/// stake, settle or claim, not for bulk traffic.
	type MaxWorkPerBlock = ConstU32<64>;
	type MaxAllowedCalls = ConstU32<32>;
	type MaxBlockShare = MaxWorkBlockShare;
	/// At least 4,096 hashes (a few milliseconds of one core).
	type MinBaseEffort = ConstU64<4096>;
	type MaxMultiplier = MaxWorkMultiplier;
	type TargetFullness = WorkTargetFullness;
	type Adjustment = WorkAdjustment;
	type MaxPriorityRatio = ConstU32<4>;
	type WeightInfo = pallet_work_payment::weights::SubstrateWeight<Runtime>;
}
