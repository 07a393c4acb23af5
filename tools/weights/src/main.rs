//! # gpow-weights
//!
//! Writes each GPoW pallet's `weights.rs` from frame-omni-bencher's results. The bencher runs the
//! benchmarks in the Wasm runtime and fits them; `scripts/weights.sh` has it write its analysis
//! through `results.hbs` and its raw results as JSON. This tool does what the bencher's templates
//! cannot: it keeps each pallet's own `WeightInfo` trait (its doc comments and signatures), takes
//! a benchmark component that is not a parameter of its weight function (REP holders in
//! `stake()`) at its maximum, and prints the holder and member table from the raw results.
//! Run it through `bash scripts/weights.sh`; see `README.md`.

mod render;
mod results;
mod scaling;

use std::path::{Path, PathBuf};

/// The GPoW pallets: crate name and directory.
const PALLETS: &[(&str, &str)] = &[
	("pallet_difficulty", "pallets/difficulty"),
	("pallet_rewards", "pallets/rewards"),
	("pallet_ssk", "pallets/ssk"),
	("pallet_reputation", "pallets/reputation"),
	("pallet_pow_attest", "pallets/pow-attest"),
	("pallet_services", "pallets/services"),
	("pallet_governance", "pallets/governance"),
	("pallet_work_payment", "pallets/work-payment"),
];

/// The command-line options.
struct Options {
	root: PathBuf,
	results: PathBuf,
	pallets: Vec<String>,
	write: bool,
	command: String,
}

const USAGE: &str =
	"usage: gpow-weights --results DIR [--root DIR] [--pallet NAME]... [--no-write] \
                     [--command TEXT]\n  DIR holds <pallet>.txt (results.hbs) and <pallet>.json \
                     (--json-file) from frame-omni-bencher";

fn parse_args() -> Result<Options, String> {
	let mut options = Options {
		root: PathBuf::from("."),
		results: PathBuf::new(),
		pallets: Vec::new(),
		write: true,
		command: "bash scripts/weights.sh".into(),
	};
	let mut args = std::env::args().skip(1);
	while let Some(arg) = args.next() {
		let mut value = || args.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
		match arg.as_str() {
			"--root" => options.root = PathBuf::from(value()?),
			"--results" => options.results = PathBuf::from(value()?),
			"--pallet" => options.pallets.push(value()?),
			"--command" => options.command = value()?,
			"--no-write" => options.write = false,
			"-h" | "--help" => return Err(USAGE.into()),
			other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
		}
	}
	if options.results.as_os_str().is_empty() {
		return Err(format!("--results is required\n{USAGE}"));
	}
	if let Some(p) = options.pallets.iter().find(|p| !PALLETS.iter().any(|(n, _)| n == *p)) {
		return Err(format!("unknown pallet `{p}`; the pallets are {PALLETS:?}"));
	}
	Ok(options)
}

fn read(path: &Path) -> Result<String, String> {
	std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// One line per benchmark: base time, reads, writes, proof and the per-component slopes.
fn print_table(pallet: &str, results: &results::Results) {
	println!("\n{pallet}");
	println!(
		"  {:<28} {:>10} {:>6} {:>6} {:>8}  per-component slope (ps / reads / writes)",
		"benchmark", "base µs", "reads", "writes", "proof B"
	);
	for b in &results.benchmarks {
		let slopes: Vec<String> = b
			.ranges
			.iter()
			.map(|(c, low, high)| {
				format!(
					"{c}[{low}..{high}]: {} / {} / {}",
					b.time.slope(c),
					b.reads.slope(c),
					b.writes.slope(c)
				)
			})
			.collect();
		println!(
			"  {:<28} {:>10.2} {:>6} {:>6} {:>8}  {}",
			b.name,
			b.time.base as f64 / 1e6,
			b.reads.base,
			b.writes.base,
			b.proof.base,
			slopes.join(", ")
		);
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
	for (pallet, dir) in PALLETS {
		if !options.pallets.is_empty() && !options.pallets.iter().any(|p| p == pallet) {
			continue;
		}
		let mut results = results::parse(&read(&options.results.join(format!("{pallet}.txt")))?)
			.map_err(|e| format!("{pallet}: {e}"))?;
		// The bencher names the CPU but not how many cores the machine has.
		let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
		results.meta.insert("cores".into(), cores.to_string());
		print_table(pallet, &results);
		let json = options.results.join(format!("{pallet}.json"));
		if json.exists() {
			let raw: serde_json::Value = serde_json::from_str(&read(&json)?)
				.map_err(|e| format!("{}: {e}", json.display()))?;
			scaling::print(pallet, &scaling::rows(&raw, &results.benchmarks));
		}
		if options.write {
			let path = options.root.join(dir).join("src/weights.rs");
			let weight_trait = render::parse_trait(&read(&path)?)?;
			let text = render::render(&weight_trait, &results, &options.command)?;
			std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
			println!("  wrote {}", path.display());
		}
	}
	Ok(())
}
