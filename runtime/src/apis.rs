//! The runtime APIs: what the node and dapps can call on the runtime.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_core::OpaqueMetadata;
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Balance, Block, BlockNumber, Difficulty, Executive, Governance, Hash,
	InherentDataExt, Nonce, PowAttest, PowDifficulty, Reputation, Runtime, RuntimeCall,
	RuntimeGenesisConfig, Services, Ssk, System, TransactionPayment, WorkPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		/// GPoW has no session keys: blocks are authored by proof of work.
		fn generate_session_keys(
			_owner: Vec<u8>,
			_seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			Default::default()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, sp_core::crypto::KeyTypeId)>> {
			encoded.is_empty().then(Vec::new)
		}
	}

	impl sp_consensus_pow::DifficultyApi<Block, PowDifficulty> for Runtime {
		fn difficulty() -> PowDifficulty {
			Difficulty::difficulty()
		}
	}

	impl pallet_ssk_runtime_api::SskApi<Block, AccountId, BlockNumber> for Runtime {
		fn latest(
			from: AccountId,
			to: AccountId,
		) -> Option<pallet_ssk_runtime_api::PostedEnvelope<BlockNumber>> {
			Ssk::latest(&from, &to)
		}

		fn encryption_key(who: AccountId) -> Option<pallet_ssk_runtime_api::PublishedKey> {
			Ssk::encryption_key(&who)
		}
	}

	impl pallet_reputation_runtime_api::ReputationApi<Block, AccountId, Hash, BlockNumber, Balance>
		for Runtime
	{
		fn rep(who: AccountId) -> pallet_reputation_runtime_api::RepInfo<Balance> {
			Reputation::rep_info(&who)
		}

		fn post(
			id: pallet_reputation_runtime_api::PostId,
		) -> Option<pallet_reputation_runtime_api::PostInfo<AccountId, Hash, BlockNumber>> {
			Reputation::post_info(id)
		}

		fn pool(
			id: pallet_reputation_runtime_api::PoolId,
		) -> Option<pallet_reputation_runtime_api::PoolInfo<AccountId, BlockNumber, Balance>> {
			Reputation::pool_info(id)
		}
	}

	impl pallet_services_runtime_api::ServicesApi<Block, AccountId, Balance, BlockNumber, Hash>
		for Runtime
	{
		fn quote(
			service_type: pallet_services_runtime_api::ServiceTypeId,
			volume: pallet_services_runtime_api::Volume,
			max_rate: Balance,
			definition: Hash,
			best: Hash,
		) -> Result<
			pallet_services_runtime_api::Quote<AccountId, Balance>,
			pallet_services_runtime_api::QuoteError,
		> {
			Services::quote(service_type, volume, max_rate, definition, best)
		}

		fn offers(
			service_type: pallet_services_runtime_api::ServiceTypeId,
		) -> Vec<pallet_services_runtime_api::OfferInfo<AccountId, Balance>> {
			Services::offers_of(service_type)
		}

		fn instance(
			id: pallet_services_runtime_api::InstanceId,
		) -> Option<pallet_services_runtime_api::InstanceInfo<AccountId, Balance, BlockNumber, Hash>> {
			Services::instance_info(id)
		}
	}

	impl pallet_governance_runtime_api::GovernanceApi<Block, AccountId, Balance, BlockNumber, Hash>
		for Runtime
	{
		fn proposals(
			from: pallet_governance_runtime_api::ProposalId,
			max: u32,
		) -> Vec<pallet_governance_runtime_api::ProposalInfo<AccountId, Balance, BlockNumber, Hash>> {
			Governance::proposals_from(from, max)
		}

		fn proposal(
			id: pallet_governance_runtime_api::ProposalId,
		) -> Option<pallet_governance_runtime_api::ProposalInfo<AccountId, Balance, BlockNumber, Hash>> {
			Governance::proposal_info(id)
		}

		fn tracks() -> Vec<pallet_governance_runtime_api::TrackDetails<Balance, BlockNumber>> {
			Governance::track_details()
		}

		fn parameters() -> Vec<pallet_governance_runtime_api::GovernedParameter> {
			crate::governance::governed_parameters()
		}
	}

	impl pallet_work_payment_runtime_api::WorkPaymentApi<Block, AccountId, Nonce, RuntimeCall, BlockNumber, Hash>
		for Runtime
	{
		fn quote(
			who: AccountId,
			nonce: Nonce,
			call: RuntimeCall,
		) -> Result<
			pallet_work_payment_runtime_api::WorkQuote<BlockNumber, Hash>,
			pallet_work_payment_runtime_api::WorkRefusal,
		> {
			WorkPayment::quote(&who, nonce, &call)
		}
	}

	impl pallet_pow_attest_runtime_api::PowAttestApi<Block> for Runtime {
		fn current_round() -> u64 {
			PowAttest::current_round()
		}

		fn work_score(
			gate: pallet_pow_attest::GateId,
			round: u64,
		) -> Option<pallet_pow_attest::AttestedWork> {
			PowAttest::work_score(&gate, round)
		}

		fn scores(round: u64) -> Vec<pallet_pow_attest::RoundScore> {
			PowAttest::scores(round)
		}

		fn is_registered(gate: pallet_pow_attest::GateId) -> bool {
			PowAttest::is_registered(&gate)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline::Pallet as BaselineBench, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline::Pallet as BaselineBench, BenchmarkBatch};
			use frame_support::traits::WhitelistedStorageKeys;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl frame_benchmarking::baseline::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)?;
			crate::genesis_config_presets::count_genesis_balances_in_issuance();
			Ok(())
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
