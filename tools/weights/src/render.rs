//! Writing a pallet's `weights.rs` from the bencher's results, in the shape of polkadot-sdk's
//! pallets (`WeightInfo`, `SubstrateWeight<T>`, `()`), keeping the pallet's own trait verbatim.

use crate::results::{Benchmark, Linear, Results};
use std::fmt::Write as _;

/// A weight function of the pallet's `WeightInfo` trait: its name and parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightFn {
	/// The function's name (also the benchmark's name).
	pub name: String,
	/// Its parameters (component names), each `u32`.
	pub params: Vec<String>,
}

/// The `WeightInfo` trait of an existing `weights.rs`: its text (with the doc comments above it)
/// and its functions.
#[derive(Clone, Debug)]
pub struct WeightTrait {
	/// The trait's source text, from its doc comments to its closing brace.
	pub text: String,
	/// Its functions in order.
	pub fns: Vec<WeightFn>,
}

/// Extracts the `pub trait WeightInfo` block (and the doc comments just above it) from the
/// source of a `weights.rs`.
pub fn parse_trait(source: &str) -> Result<WeightTrait, String> {
	let lines: Vec<&str> = source.lines().collect();
	let start = lines
		.iter()
		.position(|l| l.starts_with("pub trait WeightInfo"))
		.ok_or("no `pub trait WeightInfo` in weights.rs")?;
	let end = start
		+ lines[start..]
			.iter()
			.position(|l| *l == "}")
			.ok_or("the `WeightInfo` trait is not closed by a `}` line")?;
	let mut first = start;
	while first > 0 && lines[first - 1].trim_start().starts_with("///") {
		first -= 1;
	}
	let mut fns = Vec::new();
	for item in lines[start + 1..end].iter().filter_map(|l| l.trim_start().strip_prefix("fn ")) {
		let name: String = item.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
		let args = item
			.split_once('(')
			.and_then(|(_, rest)| rest.split_once(')'))
			.map(|(args, _)| args)
			.ok_or_else(|| format!("cannot read the parameters of `{name}`"))?;
		let params = args
			.split(',')
			.filter_map(|a| a.split_once(':').map(|(p, _)| p.trim().to_owned()))
			.filter(|p| !p.is_empty())
			.collect();
		fns.push(WeightFn { name, params });
	}
	Ok(WeightTrait { text: lines[first..=end].join("\n"), fns })
}

/// Digits in groups of three: `1_234_567`.
pub fn grouped(value: u128) -> String {
	let digits = value.to_string();
	let mut out = String::new();
	for (i, c) in digits.chars().enumerate() {
		if i > 0 && (digits.len() - i).is_multiple_of(3) {
			out.push('_');
		}
		out.push(c);
	}
	out
}

/// `model` with the components `folded` (name, high) taken at their maximum.
fn fold(model: &Linear, folded: &[&(String, u32, u32)]) -> u128 {
	folded.iter().fold(model.base, |sum, (c, _, high)| {
		sum.saturating_add(model.slope(c).saturating_mul(u128::from(*high)))
	})
}

/// One weight function's body and doc comments for the `impl` with database weights `db`.
fn render_fn(f: &WeightFn, b: &Benchmark, db: &str) -> String {
	let mut out = String::new();
	// Components that are not parameters of the weight function are taken at their maximum.
	let folded: Vec<&(String, u32, u32)> =
		b.ranges.iter().filter(|r| !f.params.contains(&r.0)).collect();
	for comment in &b.comments {
		let _ = writeln!(out, "\t/// {comment}");
	}
	for (c, low, high) in &b.ranges {
		if f.params.contains(c) {
			let _ = writeln!(out, "\t/// The range of component `{c}` is `[{low}, {high}]`.");
		} else {
			let _ = writeln!(
				out,
				"\t/// Component `{c}` (`[{low}, {high}]`) is not a parameter: taken at {high}. \
				 Per unit: {} ps, {} reads, {} writes, {} proof bytes.",
				grouped(b.time.slope(c)),
				b.reads.slope(c),
				b.writes.slope(c),
				b.proof.slope(c),
			);
		}
	}
	let args: Vec<String> = f.params.iter().map(|p| format!("{p}: u32")).collect();
	let _ = writeln!(out, "\tfn {}({}) -> Weight {{", f.name, args.join(", "));
	let _ = writeln!(out, "\t\t// Proof Size summary in bytes:");
	let _ = writeln!(out, "\t\t//  Measured:  `{}`", grouped(fold(&b.proof, &folded)));
	let _ =
		writeln!(out, "\t\t// Minimum execution time: {}_000 picoseconds.", grouped(b.min_time_ns));
	let _ = writeln!(
		out,
		"\t\tWeight::from_parts({}, {})",
		grouped(fold(&b.time, &folded)),
		grouped(fold(&b.proof, &folded))
	);
	for p in &f.params {
		let (time, proof) = (b.time.slope(p), b.proof.slope(p));
		if time > 0 || proof > 0 {
			let _ = writeln!(
				out,
				"\t\t\t.saturating_add(Weight::from_parts({}, {}).saturating_mul({p}.into()))",
				grouped(time),
				grouped(proof),
			);
		}
	}
	for (kind, model) in [("reads", &b.reads), ("writes", &b.writes)] {
		let base = fold(model, &folded);
		if base > 0 {
			let _ = writeln!(out, "\t\t\t.saturating_add({db}.{kind}({base}_u64))");
		}
		for p in &f.params {
			let slope = model.slope(p);
			if slope > 0 {
				let _ = writeln!(
					out,
					"\t\t\t.saturating_add({db}.{kind}(({slope}_u64).saturating_mul({p}.into())))"
				);
			}
		}
	}
	out.push_str("\t}\n");
	out
}

/// The whole `weights.rs` of a pallet with the trait `weight_trait`, from the bencher's
/// `results`; `command` regenerates it.
pub fn render(
	weight_trait: &WeightTrait,
	results: &Results,
	command: &str,
) -> Result<String, String> {
	let pallet = results.meta("pallet");
	let mut out = String::new();
	let _ = write!(
		out,
		"// This file is part of GPoW.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `{pallet}`.
//!
//! GENERATED by `gpow-weights` (`tools/weights`) from frame-omni-bencher's run of the benchmarks
//! in `benchmarking.rs`, in the Wasm runtime; do not edit by hand. Regenerate with:
//!
//! ```text
//! {command}
//! ```
//!
//! - Date: {date}; bencher: frame-benchmarking-cli {version}
//! - Machine: `{host}`, {cpu}, {cores} cores
//! - Steps: {steps}, repeats: {repeat}; execution: {execution}; analysis: {analysis}
//! - Proof sizes are measured (recorded trie nodes), not `MaxEncodedLen` estimates: a PoW chain
//!   has no relay chain to bound them.
//! - A component that is not a parameter of its weight function is taken at its maximum.
",
		date = results.meta("date"),
		version = results.meta("version"),
		host = results.meta("host"),
		cpu = results.meta("cpu"),
		cores = results.meta("cores"),
		steps = results.meta("steps"),
		repeat = results.meta("repeat"),
		execution = results.meta("execution"),
		analysis = results.meta("analysis"),
	);
	out.push_str(
		"
#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

",
	);
	out.push_str(&weight_trait.text);
	out.push_str("\n\n");
	let _ = writeln!(out, "/// Weights for `{pallet}` measured in the GPoW runtime (Wasm).");
	out.push_str("pub struct SubstrateWeight<T>(PhantomData<T>);\n");
	out.push_str("impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {\n");
	let mut tests = String::new();
	for f in &weight_trait.fns {
		let b = results.benchmarks.iter().find(|b| b.name == f.name).ok_or_else(|| {
			format!("{pallet}: no benchmark `{}` for its weight function", f.name)
		})?;
		for p in &f.params {
			if !b.ranges.iter().any(|r| &r.0 == p) {
				return Err(format!("{pallet}::{}: no component `{p}` in its benchmark", f.name));
			}
		}
		out.push_str(&render_fn(f, b, "T::DbWeight::get()"));
		tests.push_str(&render_fn(f, b, "ParityDbWeight::get()"));
	}
	out.push_str("}\n\n// For tests: the same weights with ParityDB's database weights.\nimpl WeightInfo for () {\n");
	out.push_str(&tests);
	out.push_str("}\n");
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_trait_is_kept_with_its_docs_and_read() {
		let source =
			"use x;\n\n/// Weight functions.\npub trait WeightInfo {\n\t/// Doc.\n\tfn a() -> \
		              Weight;\n\tfn add_post(a: u32, c: u32) -> Weight;\n}\n\nimpl X {}\n";
		let t = parse_trait(source).unwrap();
		assert!(t.text.starts_with("/// Weight functions.\npub trait WeightInfo {"));
		assert!(t.text.ends_with("Weight;\n}"));
		assert_eq!(
			t.fns,
			vec![
				WeightFn { name: "a".into(), params: vec![] },
				WeightFn { name: "add_post".into(), params: vec!["a".into(), "c".into()] },
			]
		);
	}

	#[test]
	fn a_component_that_is_not_a_parameter_is_folded_at_its_maximum() {
		let results = crate::results::parse(
			"meta\tpallet\tpallet_x\nbenchmark\tstake\nrange\tn\t10\t100\nrange\tc\t0\t8\n\
			 base\t1000\t2\t1\t50\nslope\ttime\tn\t10\nslope\ttime\tc\t7\nslope\treads\tn\t1\n\
			 slope\twrites\tc\t2\nmin\t1\ncomment\tStorage: `X::Y` (r:1 w:1)\n",
		)
		.unwrap();
		let t = parse_trait("pub trait WeightInfo {\n\tfn stake(c: u32) -> Weight;\n}\n").unwrap();
		let text = render(&t, &results, "bash scripts/weights.sh").unwrap();
		assert!(text.contains("\t/// Storage: `X::Y` (r:1 w:1)\n"));
		assert!(text.contains("fn stake(c: u32) -> Weight {"));
		// n is taken at 100: time 1000 + 10 * 100, reads 2 + 1 * 100.
		assert!(text.contains("Weight::from_parts(2_000, 50)\n"));
		assert!(text.contains("Weight::from_parts(7, 0).saturating_mul(c.into())"));
		assert!(text.contains("T::DbWeight::get().reads(102_u64)"));
		assert!(text.contains("T::DbWeight::get().writes((2_u64).saturating_mul(c.into()))"));
		assert!(text.contains("ParityDbWeight::get().writes(1_u64)"));
	}

	#[test]
	fn a_weight_function_needs_its_benchmark_and_components() {
		let results =
			crate::results::parse("meta\tpallet\tpallet_x\nbenchmark\tstake\nbase\t1\t0\t0\t0\n")
				.unwrap();
		let missing = parse_trait("pub trait WeightInfo {\n\tfn claim() -> Weight;\n}\n").unwrap();
		assert!(render(&missing, &results, "x").unwrap_err().contains("no benchmark `claim`"));
		let extra =
			parse_trait("pub trait WeightInfo {\n\tfn stake(n: u32) -> Weight;\n}\n").unwrap();
		assert!(render(&extra, &results, "x").unwrap_err().contains("no component `n`"));
	}

	#[test]
	fn numbers_are_grouped() {
		assert_eq!(grouped(0), "0");
		assert_eq!(grouped(1_234), "1_234");
		assert_eq!(grouped(12_345_678), "12_345_678");
	}
}
