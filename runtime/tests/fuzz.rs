//! # The runtime fuzzer
//!
//! Random sequences of extrinsics of every pallet, signed by random accounts, with random but
//! mostly plausible arguments (and some garbage), against the real runtime executed natively:
//! genesis from a preset, blocks built as a block builder builds them (`initialize_block` with a
//! miner's digest, the timestamp inherent, `apply_extrinsic`, `finalize_block`), so every hook
//! runs. After each block it checks:
//!
//! - total issuance = Σ (free + reserved) over all accounts, each account's reserved balance =
//!   its holds, and every deposit held from exactly the owners of the records that carry one
//!   (keys, envelopes, posts, gates, offers, instances, escrow, proposals, preimages); escrow
//!   holds = `TotalEscrow`;
//! - each pallet's `do_try_state`: the REP supply (free + pooled + bonded) and the fee pot
//!   (reputation), escrow and capacity (services), proposal counts and deposits (governance),
//!   the difficulty and window (difficulty), the attestation rounds (pow-attest), no author left
//!   over (rewards);
//! - the block's weight per class within its limits;
//!
//! and before each extrinsic, that the weight its call declares is at least what its
//! post-dispatch info reports (dispatched once in a rolled-back storage transaction: the fee
//! charge caps the actual weight at the declared one, so an excess is invisible afterwards).
//!
//! A panic anywhere in the runtime, or a broken invariant, fails the test with the seed and the
//! step to reproduce it.
//!
//! ```sh
//! cargo test --release -p gpow-runtime --test fuzz -- --nocapture          # the CI run
//! GPOW_FUZZ_SEED=0x1234 GPOW_FUZZ_BLOCKS=5000 cargo test --release -p gpow-runtime --test fuzz -- --nocapture
//! bash scripts/fuzz.sh 5000 0x1234                                        # the same
//! ```
//!
//! `GPOW_FUZZ_TRACE=1` prints every extrinsic and its outcome. `GPOW_FUZZ_PRESET` picks the genesis preset (`development` by default; `local_testnet`,
//! `live`). The fuzzer adds a few ed25519 accounts to the preset's genesis (endowed, some with
//! REP, some poor, one with nothing) besides the preset's well-known accounts.
//!
//! **Why a seeded driver rather than cargo-fuzz or ziggy:** both need a nightly toolchain or
//! AFL/honggfuzz builds of the whole runtime; a seeded driver runs on the stable toolchain as an
//! ordinary test, in CI, reproducibly from its seed, and its generators know the runtime's
//! state (ids that exist, amounts an account has), which coverage-guided byte mutation would take
//! long to find.
//!
//! Root may break invariants by design (`set_storage`, `force_adjust_total_issuance` with a
//! non-zero delta, `set_code`); the fuzzer never generates those as Root.

#[path = "fuzz/actors.rs"]
mod actors;
#[path = "fuzz/calls.rs"]
mod calls;
#[path = "fuzz/chain.rs"]
mod chain;
#[path = "fuzz/invariants.rs"]
mod invariants;

use calls::{Action, Gen, Submitter};
use chain::Signing;
use codec::Encode;
use gpow_mock_runtime::Rng;
use gpow_runtime::{
	genesis_config_presets::preset_config, RuntimeError, RuntimeEvent, RuntimeOrigin, System, UNIT,
};
use sp_genesis_builder::PresetId;
use sp_runtime::{BuildStorage, DispatchError};
use std::{
	cell::RefCell,
	collections::BTreeMap,
	panic::{catch_unwind, resume_unwind, AssertUnwindSafe},
	time::Instant,
};

/// The seed of the CI run.
const DEFAULT_SEED: u64 = 0x6770_6f77_f022;
/// The blocks of the CI run.
const DEFAULT_BLOCKS: u32 = 300;

/// Outcomes of one kind of call.
#[derive(Default, Clone, Copy)]
struct Counts {
	ok: u32,
	failed: u32,
	invalid: u32,
}

impl Counts {
	fn add(&mut self, other: Counts) {
		self.ok += other.ok;
		self.failed += other.failed;
		self.invalid += other.invalid;
	}
}

/// What a run did.
#[derive(Default)]
struct Stats {
	blocks: u32,
	calls: BTreeMap<String, Counts>,
	errors: BTreeMap<String, u32>,
	events: BTreeMap<String, u32>,
	weight_checks: u32,
}

thread_local! {
	/// What the fuzzer is doing, for the report of a panic.
	static STEP: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_step(step: String) {
	STEP.with(|s| *s.borrow_mut() = step);
}

fn env_u64(name: &str, default: u64) -> u64 {
	match std::env::var(name) {
		Ok(v) => {
			let v = v.trim().replace('_', "");
			let parsed = match v.strip_prefix("0x") {
				Some(hex) => u64::from_str_radix(hex, 16),
				None => v.parse(),
			};
			parsed.unwrap_or_else(|_| panic!("{name}={v}: not a number"))
		},
		Err(_) => default,
	}
}

/// The name of a dispatch error: `Pallet(Error)` for module errors.
fn error_name(e: DispatchError) -> String {
	match RuntimeError::from_dispatch_error(e) {
		Some(r) => format!("{r:?}"),
		None => format!("{e:?}"),
	}
}

/// `Pallet.Variant` of an event.
fn event_name(e: &RuntimeEvent) -> String {
	let s = format!("{e:?}");
	let pallet_end = s.find('(').unwrap_or(s.len());
	let rest = &s[(pallet_end + 1).min(s.len())..];
	let rest = rest.strip_prefix("Event::").unwrap_or(rest);
	let variant_end = rest.find(|c: char| !c.is_alphanumeric() && c != '_').unwrap_or(rest.len());
	format!("{}.{}", &s[..pallet_end], &rest[..variant_end])
}

/// Errors reported in events: of calls dispatched by sudo, utility and the scheduler.
fn event_error(e: &RuntimeEvent) -> Option<DispatchError> {
	match e {
		RuntimeEvent::Sudo(
			pallet_sudo::Event::Sudid { sudo_result: Err(e) }
			| pallet_sudo::Event::SudoAsDone { sudo_result: Err(e) },
		) => Some(*e),
		RuntimeEvent::Utility(
			pallet_utility::Event::BatchInterrupted { error: e, .. }
			| pallet_utility::Event::ItemFailed { error: e }
			| pallet_utility::Event::DispatchedAs { result: Err(e) }
			| pallet_utility::Event::IfElseFallbackCalled { main_error: e },
		) => Some(*e),
		RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { result: Err(e), .. }) => {
			Some(*e)
		},
		_ => None,
	}
}

/// Reads no runtime version from code: the fuzzer applies no runtime upgrade, so an authorized
/// upgrade is refused after its hash matched.
struct NoRuntimeVersion;

impl sp_core::traits::ReadRuntimeVersion for NoRuntimeVersion {
	fn read_runtime_version(
		&self,
		_code: &[u8],
		_ext: &mut dyn sp_core::traits::Externalities,
	) -> Result<Vec<u8>, String> {
		Err("the fuzzer's code blobs are not runtimes".into())
	}
}

/// A run's failure: what broke and where.
fn fail(seed: u64, preset: &str, block: u32, what: String) -> ! {
	let step = STEP.with(|s| s.borrow().clone());
	panic!(
		"runtime fuzzer: {what}\n  at {step}\n  reproduce: GPOW_FUZZ_SEED={seed:#x} \
		 GPOW_FUZZ_BLOCKS={block} GPOW_FUZZ_PRESET={preset} cargo test --release -p gpow-runtime \
		 --test fuzz -- --nocapture"
	)
}

/// Runs `blocks` blocks from `seed` on the genesis of `preset`.
fn run(seed: u64, blocks: u32, preset: &str, stats: &mut Stats) {
	let actors = actors::actors();
	let mut config = preset_config(&PresetId::from(preset)).expect("a preset of the runtime");
	actors::endow(&mut config, &actors);
	let mut ext: sp_io::TestExternalities = config.build_storage().expect("genesis").into();
	ext.register_extension(sp_core::traits::ReadRuntimeVersionExt::new(NoRuntimeVersion));
	// Every seed its own non-zero xorshift state (splitmix64's finalizer).
	let mut mixed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
	mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
	mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
	let mut rng = Rng((mixed ^ (mixed >> 31)).max(1));
	let trace = std::env::var("GPOW_FUZZ_TRACE").is_ok_and(|v| v == "1");

	ext.execute_with(|| {
		set_step("genesis".into());
		if let Err(e) = invariants::check() {
			fail(seed, preset, 0, format!("invariant broken at genesis: {e}"));
		}
		let mut now: u64 = 1_765_000_000_000;
		for n in 1..=blocks {
			set_step(format!("block {n}: initialize_block"));
			let author = match rng.below(20) {
				0 => None,
				1 => Some(vec![1, 2, 3]),
				_ => Some(actors[rng.below(actors.len() as u64) as usize].id.encode()),
			};
			chain::begin_block(seed, n, author);
			let gap = if rng.chance(10) { 120_000 } else { 4_000 };
			now += 100 + rng.below(gap);
			set_step(format!("block {n}: timestamp inherent"));
			chain::set_timestamp(now);

			let count = match rng.below(10) {
				0 | 1 => 0,
				9 => 10 + rng.below(30),
				_ => 1 + rng.below(8),
			};
			for i in 0..count {
				let Action { by, call, label, own_weight } =
					Gen { rng: &mut rng, actors: &actors }.action();
				let call_text = format!("{call:?}");
				set_step(format!("block {n}, extrinsic {i}: {label}: {call_text}"));
				let origin = match by {
					Submitter::Signed(who) => RuntimeOrigin::signed(actors[who].id.clone()),
					Submitter::Bare => RuntimeOrigin::none(),
					Submitter::General => frame_system::RawOrigin::Authorized.into(),
				};
				if !own_weight {
					let (declared, actual) = chain::declared_and_actual_weight(&call, origin);
					if !actual.all_lte(declared) {
						fail(
							seed,
							preset,
							n,
							format!(
								"{label} used {actual:?}, more than it declared ({declared:?})"
							),
						);
					}
					stats.weight_checks += 1;
				}
				let xt = match by {
					Submitter::Signed(who) => {
						let signing = match rng.below(100) {
							0 | 1 => Signing::FutureNonce,
							2 | 3 => Signing::WrongSignature,
							_ => Signing::Good,
						};
						let tip = if rng.chance(10) {
							rng.below(1_000) as u128 * UNIT / 1_000
						} else {
							0
						};
						let other = &actors[(who + 1) % actors.len()];
						chain::signed(&actors[who], other, call, tip, signing)
					},
					Submitter::Bare => chain::bare(call),
					Submitter::General => chain::general(call),
				};
				let outcome = chain::apply(xt);
				if trace {
					println!("block {n}, extrinsic {i}: {label}: {outcome:?}\n    {call_text}");
				}
				let counts = stats.calls.entry(label).or_default();
				match outcome {
					Ok(Ok(())) => counts.ok += 1,
					Ok(Err(e)) => {
						counts.failed += 1;
						*stats.errors.entry(error_name(e)).or_default() += 1;
					},
					Err(e) => {
						counts.invalid += 1;
						*stats.errors.entry(format!("invalid: {e:?}")).or_default() += 1;
					},
				}
			}

			set_step(format!("block {n}: finalize_block"));
			chain::end_block();
			for record in System::events() {
				*stats.events.entry(event_name(&record.event)).or_default() += 1;
				if let Some(e) = event_error(&record.event) {
					*stats.errors.entry(format!("{} (inner)", error_name(e))).or_default() += 1;
				}
			}
			set_step(format!("after block {n}"));
			if let Err(e) = invariants::check() {
				fail(seed, preset, n, format!("invariant broken after block {n}: {e}"));
			}
			stats.blocks = n;
		}
	});
}

fn report(seed: u64, preset: &str, stats: &Stats, secs: f64) {
	let mut total = Counts::default();
	let mut pallets: BTreeMap<String, Counts> = BTreeMap::new();
	for (label, c) in &stats.calls {
		total.add(*c);
		let pallet = label.split('.').next().unwrap_or_default().to_string();
		pallets.entry(pallet).or_default().add(*c);
	}
	println!(
		"runtime fuzzer: seed {seed:#x}, preset {preset}: {} blocks, {} extrinsics ({} applied \
		 ok, {} failed in dispatch, {} invalid), {} weight checks, in {secs:.1} s",
		stats.blocks,
		total.ok + total.failed + total.invalid,
		total.ok,
		total.failed,
		total.invalid,
		stats.weight_checks,
	);
	println!("\nper pallet (ok / failed / invalid):");
	for (p, c) in &pallets {
		println!("  {p:<14} {:>6} {:>6} {:>6}", c.ok, c.failed, c.invalid);
	}
	println!("\nper call (ok / failed / invalid):");
	for (l, c) in &stats.calls {
		println!("  {l:<48} {:>6} {:>6} {:>6}", c.ok, c.failed, c.invalid);
	}
	println!("\nerrors hit ({} distinct):", stats.errors.len());
	for (e, n) in &stats.errors {
		println!("  {n:>6}  {e}");
	}
	println!("\nevents ({} distinct):", stats.events.len());
	for (e, n) in &stats.events {
		println!("  {n:>6}  {e}");
	}
}

/// The fuzzer: `GPOW_FUZZ_SEED`, `GPOW_FUZZ_BLOCKS` and `GPOW_FUZZ_PRESET` choose the run.
#[test]
fn fuzz_runtime() {
	let seed = env_u64("GPOW_FUZZ_SEED", DEFAULT_SEED);
	let blocks = env_u64("GPOW_FUZZ_BLOCKS", DEFAULT_BLOCKS.into()) as u32;
	let preset = std::env::var("GPOW_FUZZ_PRESET").unwrap_or_else(|_| "development".into());
	println!("runtime fuzzer: seed {seed:#x}, {blocks} blocks, preset {preset}");
	let mut stats = Stats::default();
	let start = Instant::now();
	let outcome = catch_unwind(AssertUnwindSafe(|| run(seed, blocks, &preset, &mut stats)));
	let secs = start.elapsed().as_secs_f64();
	if let Err(panic) = outcome {
		let step = STEP.with(|s| s.borrow().clone());
		eprintln!(
			"runtime fuzzer: FAILED (seed {seed:#x}, preset {preset}) at {step}\n  reproduce: \
			 GPOW_FUZZ_SEED={seed:#x} GPOW_FUZZ_BLOCKS={} GPOW_FUZZ_PRESET={preset} cargo test \
			 --release -p gpow-runtime --test fuzz -- --nocapture",
			stats.blocks + 1
		);
		resume_unwind(panic);
	}
	report(seed, &preset, &stats, secs);

	// The run reached into every pallet, not only its refusals.
	if blocks >= DEFAULT_BLOCKS && preset == "development" {
		for pallet in
			["Reputation", "Services", "Governance", "Balances", "Ssk", "PowAttest", "Preimage"]
		{
			let ok: u32 = stats
				.calls
				.iter()
				.filter(|(l, _)| l.starts_with(&format!("{pallet}.")))
				.map(|(_, c)| c.ok)
				.sum();
			assert!(ok > 0, "no {pallet} call succeeded in {blocks} blocks");
		}
	}
}
