//! # gpow-weights
//!
//! Runs the GPoW pallets' frame-benchmarking v2 benchmarks natively against the real runtime
//! (`gpow-runtime` built with `runtime-benchmarks`), through each pallet's
//! `frame_benchmarking::Benchmarking::run_benchmark`, over each component's range with repeats;
//! fits a linear model per benchmark (median of the repeats, least squares over the points);
//! counts DB reads and writes with an in-memory trie backend; prints a table; and writes each
//! pallet's `weights.rs` in the shape the pallets use, keeping their `WeightInfo` trait.
//!
//! It replaces `frame-benchmarking-cli` (and its large dependency tree) for this repository. Run
//! it with `bash scripts/weights.sh`; see `README.md` for the options.

mod alloc;
mod bench;
mod fit;
mod render;
mod state;

use bench::{pallet_spec, Analysis, PalletSpec, Sampling};
use frame_support::traits::{StorageInfoTrait, WhitelistedStorageKeys};
use gpow_runtime::AllPalletsWithSystem;
use sp_runtime::BuildStorage;
use std::{path::PathBuf, time::Instant};

/// The benchmarked pallets of the runtime.
fn pallets() -> Vec<PalletSpec> {
	vec![
		pallet_spec!("pallet_difficulty", "pallets/difficulty", gpow_runtime::Difficulty),
		pallet_spec!("pallet_rewards", "pallets/rewards", gpow_runtime::Rewards),
		pallet_spec!("pallet_ssk", "pallets/ssk", gpow_runtime::Ssk),
		pallet_spec!("pallet_reputation", "pallets/reputation", gpow_runtime::Reputation),
		pallet_spec!("pallet_pow_attest", "pallets/pow-attest", gpow_runtime::PowAttest),
		pallet_spec!("pallet_services", "pallets/services", gpow_runtime::Services),
		pallet_spec!("pallet_governance", "pallets/governance", gpow_runtime::Governance),
		pallet_spec!("pallet_work_payment", "pallets/work-payment", gpow_runtime::WorkPayment),
	]
}

/// The command-line options.
struct Options {
	root: PathBuf,
	sampling: Sampling,
	pallets: Vec<String>,
	benchmarks: Vec<String>,
	write: bool,
	command: String,
}

const USAGE: &str = "usage: gpow-weights [--root DIR] [--steps N] [--repeat N] [--pallet NAME]... \
                     [--bench NAME]... [--no-write] [--command TEXT]";

fn parse_args() -> Result<Options, String> {
	let mut options = Options {
		root: PathBuf::from("."),
		sampling: Sampling { steps: 8, repeat: 10 },
		pallets: Vec::new(),
		benchmarks: Vec::new(),
		write: true,
		command: "bash scripts/weights.sh".into(),
	};
	let mut args = std::env::args().skip(1);
	while let Some(arg) = args.next() {
		let mut value = || args.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
		match arg.as_str() {
			"--root" => options.root = PathBuf::from(value()?),
			"--steps" => options.sampling.steps = value()?.parse().map_err(|e| format!("{e}"))?,
			"--repeat" => options.sampling.repeat = value()?.parse().map_err(|e| format!("{e}"))?,
			"--pallet" => options.pallets.push(value()?),
			"--bench" => options.benchmarks.push(value()?),
			"--command" => options.command = value()?,
			"--no-write" => options.write = false,
			"-h" | "--help" => return Err(USAGE.into()),
			other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
		}
	}
	Ok(options)
}

/// The genesis state of the `development` preset (without the Wasm code, not needed natively).
fn genesis() -> Result<sp_runtime::Storage, String> {
	let id = sp_genesis_builder::PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET);
	gpow_runtime::genesis_config_presets::preset_config(&id)
		.ok_or("the development preset does not build a genesis config")?
		.build_storage()
}

/// Names a storage key prefix `Pallet::Item` from the runtime's storage info.
fn storage_namer() -> impl Fn(&[u8]) -> String {
	let info = AllPalletsWithSystem::storage_info();
	move |prefix: &[u8]| {
		info.iter()
			.filter(|i| prefix.starts_with(&i.prefix) || i.prefix.starts_with(prefix))
			.max_by_key(|i| i.prefix.len())
			.map(|i| {
				format!(
					"{}::{}",
					String::from_utf8_lossy(&i.pallet_name),
					String::from_utf8_lossy(&i.storage_name)
				)
			})
			.unwrap_or_else(|| match prefix {
				b":code" => ":code".into(),
				_ => format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&prefix)),
			})
	}
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
	let secs = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| d.as_secs());
	// Howard Hinnant's `civil_from_days`.
	let z = (secs / 86_400) as i64 + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z - era * 146_097;
	let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = doy - (153 * mp + 2) / 5 + 1;
	let month = if mp < 10 { mp + 3 } else { mp - 9 };
	let year = yoe + era * 400 + i64::from(month <= 2);
	format!("{year:04}-{month:02}-{day:02}")
}

/// Host name, CPU model and core count.
fn machine() -> String {
	let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
		.map(|h| h.trim().to_owned())
		.unwrap_or_else(|_| "unknown host".into());
	let cpu = std::fs::read_to_string("/proc/cpuinfo")
		.ok()
		.and_then(|c| {
			c.lines()
				.find(|l| l.starts_with("model name"))
				.and_then(|l| l.split_once(':'))
				.map(|(_, m)| m.trim().to_owned())
		})
		.unwrap_or_else(|| "unknown CPU".into());
	let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
	format!("`{host}`, {cpu}, {cores} cores")
}

/// Microseconds with two decimals.
fn us(ns: f64) -> String {
	format!("{:.2}", ns / 1000.0)
}

/// One line per benchmark: the fitted base and slopes, reads, writes and proof size.
fn print_table(pallet: &str, analyses: &[Analysis]) {
	println!("\n{pallet}");
	println!(
		"  {:<28} {:>12} {:>7} {:>7} {:>9}  per-component slope (µs / reads / writes)",
		"benchmark", "base µs", "reads", "writes", "proof B"
	);
	for a in analyses {
		let slopes: Vec<String> = a
			.components
			.iter()
			.enumerate()
			.map(|(i, (c, low, high))| {
				format!(
					"{c}[{low}..{high}]: {:.4} / {:.3} / {:.3}",
					a.time.slopes[i] / 1000.0,
					a.reads.slopes[i],
					a.writes.slopes[i]
				)
			})
			.collect();
		println!(
			"  {:<28} {:>12} {:>7.1} {:>7.1} {:>9.0}  {}",
			a.name,
			us(a.time.base),
			a.reads.base,
			a.writes.base,
			a.proof.base,
			slopes.join(", ")
		);
	}
}

/// The weight (ref time, ps) of a run: its native time plus the runtime's DB weight of its reads
/// and writes, as a node charges it.
fn weight_ps(time_ns: f64, reads: u64, writes: u64) -> f64 {
	let db = <gpow_runtime::Runtime as frame_system::Config>::DbWeight::get();
	time_ns * 1_000.0 + (db.reads(reads).ref_time() + db.writes(writes).ref_time()) as f64
}

/// For every benchmark with a component whose range covers 10 and 10,000 (REP holders, panel
/// members, offers): the measured medians at both ends side by side, the others at their
/// maximum; then the weight at both ends (native time plus the runtime's DB read and write
/// weights) and its ratio.
fn print_scaling(pallet: &str, analyses: &[Analysis]) {
	let mut header = false;
	for a in analyses {
		for (i, (c, low, high)) in a.components.iter().enumerate() {
			if *low > 10 || *high < 10_000 {
				continue;
			}
			let at = |v: u32| {
				let mut x: Vec<u32> = a.components.iter().map(|c| c.2).collect();
				x[i] = v;
				a.point(&x).cloned().map(|p| (x, p))
			};
			let (Some((x_low, lo)), Some((_, hi))) = (at(*low), at(*high)) else { continue };
			if !header {
				println!("\n{pallet}: cost at the low vs the high end of the holder/member count");
				println!(
					"  {:<16} {:<16} {:>12} {:>12} {:>7}  {:>13} {:>13}  {:>11} {:>11} {:>7}",
					"benchmark",
					"component",
					"low µs",
					"high µs",
					"ratio",
					"r/w low",
					"r/w high",
					"weight low",
					"weight high",
					"ratio"
				);
				header = true;
			}
			let others: Vec<String> = a
				.components
				.iter()
				.zip(&x_low)
				.filter(|(o, _)| &o.0 != c)
				.map(|(o, v)| format!("{}={v}", o.0))
				.collect();
			let label = if others.is_empty() {
				format!("{c}: {low}->{high}")
			} else {
				format!("{c}: {low}->{high} ({})", others.join(","))
			};
			let (w_lo, w_hi) = (
				weight_ps(lo.time_ns, lo.reads as u64, lo.writes as u64),
				weight_ps(hi.time_ns, hi.reads as u64, hi.writes as u64),
			);
			println!(
				"  {:<16} {:<16} {:>12} {:>12} {:>7.2}  {:>13} {:>13}  {:>11} {:>11} {:>7.2}",
				a.name,
				label,
				us(lo.time_ns),
				us(hi.time_ns),
				hi.time_ns / lo.time_ns.max(1.0),
				format!("{}/{}", lo.reads, lo.writes),
				format!("{}/{}", hi.reads, hi.writes),
				us(w_lo / 1_000.0),
				us(w_hi / 1_000.0),
				w_hi / w_lo.max(1.0),
			);
		}
	}
}

fn main() {
	if let Err(e) = run() {
		eprintln!("gpow-weights: {e}");
		std::process::exit(1);
	}
}

fn run() -> Result<(), String> {
	let options = parse_args()?;
	alloc::configure();
	let genesis = genesis()?;
	let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
	let namer = storage_namer();
	let provenance = render::Provenance {
		command: options.command.clone(),
		args: format!("--steps {} --repeat {}", options.sampling.steps, options.sampling.repeat),
		date: today(),
		machine: machine(),
	};
	println!(
		"gpow-weights: native benchmarks against gpow-runtime, {} steps, {} repeats, on {}",
		options.sampling.steps, options.sampling.repeat, provenance.machine
	);
	for spec in pallets() {
		if !options.pallets.is_empty() && !options.pallets.iter().any(|p| p == spec.name) {
			continue;
		}
		let start = Instant::now();
		let analyses = bench::run_pallet(
			&spec,
			&genesis,
			&whitelist,
			options.sampling,
			&options.benchmarks,
			&mut |name, points| eprintln!("  {}::{name} ({points} points)", spec.name),
		)?;
		eprintln!("  {}: {:.1} s", spec.name, start.elapsed().as_secs_f64());
		print_table(spec.name, &analyses);
		print_scaling(spec.name, &analyses);
		if options.write {
			if !options.benchmarks.is_empty() {
				return Err("--bench runs only some benchmarks: use it with --no-write".into());
			}
			let path = options.root.join(spec.dir).join("src/weights.rs");
			let source = std::fs::read_to_string(&path)
				.map_err(|e| format!("reading {}: {e}", path.display()))?;
			let weight_trait = render::parse_trait(&source)?;
			let text = render::render(spec.name, &weight_trait, &analyses, &provenance, &namer)?;
			std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
			println!("  wrote {}", path.display());
		}
	}
	Ok(())
}
