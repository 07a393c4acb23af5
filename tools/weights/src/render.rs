//! Writing a pallet's `weights.rs` from the analysed benchmarks, in the shape of
//! `frame-benchmarking-cli`'s template, keeping the pallet's `WeightInfo` trait verbatim.

use crate::bench::Analysis;
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

/// Where and how the weights were measured, for the file's header.
#[derive(Clone, Debug)]
pub struct Provenance {
	/// The command that regenerates the file.
	pub command: String,
	/// The tool's own arguments.
	pub args: String,
	/// The date (UTC).
	pub date: String,
	/// The machine: host name, CPU model, cores.
	pub machine: String,
}

/// A storage item's name for a key prefix: `Pallet::Item`, or the prefix in hex.
pub type Namer<'a> = &'a dyn Fn(&[u8]) -> String;

/// Rounds a count (reads, writes) to an integer; exact counts stay exact.
fn count(value: f64) -> u64 {
	(value + 0.5).max(0.0) as u64
}

/// Rounds a time in nanoseconds up to picoseconds.
fn picos(ns: f64) -> u64 {
	(ns.max(0.0) * 1000.0).ceil() as u64
}

/// Rounds a size in bytes up.
fn bytes(value: f64) -> u64 {
	value.max(0.0).ceil() as u64
}

/// Digits in groups of three: `1_234_567`.
pub fn grouped(value: u64) -> String {
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

/// One weight function's body and doc comments for the `impl` with database weights `db`.
fn render_fn(f: &WeightFn, a: &Analysis, db: &str, name: Namer<'_>) -> String {
	let mut out = String::new();
	// Components that are not parameters of the weight function are taken at their maximum.
	let folded: Vec<(usize, &(String, u32, u32))> = a
		.components
		.iter()
		.enumerate()
		.filter(|(_, c)| !f.params.contains(&c.0))
		.collect();
	let fold = |m: &crate::fit::Model| -> f64 {
		m.base + folded.iter().map(|(i, c)| m.slopes[*i] * f64::from(c.2)).sum::<f64>()
	};
	if let Some(worst) = a.worst() {
		for (prefix, r, w) in &worst.keys {
			let _ = writeln!(out, "\t/// Storage: `{}` (r:{r} w:{w})", name(prefix));
		}
	}
	for (i, (c, low, high)) in a.components.iter().enumerate() {
		if f.params.contains(c) {
			let _ = writeln!(out, "\t/// The range of component `{c}` is `[{low}, {high}]`.");
		} else {
			let _ = writeln!(
				out,
				"\t/// Component `{c}` (`[{low}, {high}]`) is not a parameter: taken at {high}. \
				 Measured per unit: {} ps, {:.3} reads, {:.3} writes, {:.1} proof bytes.",
				grouped(picos(a.time.slopes[i])),
				a.reads.slopes[i],
				a.writes.slopes[i],
				a.proof.slopes[i],
			);
		}
	}
	let args: Vec<String> = f.params.iter().map(|p| format!("{p}: u32")).collect();
	let _ = writeln!(out, "\tfn {}({}) -> Weight {{", f.name, args.join(", "));
	let _ = writeln!(out, "\t\t// Proof Size summary in bytes:");
	let measured = a.worst().map_or(0.0, |p| p.proof);
	let _ = writeln!(out, "\t\t//  Measured:  `{}`", bytes(measured));
	let min = a.points.iter().map(|p| p.min_time_ns).fold(f64::MAX, f64::min);
	let _ = writeln!(out, "\t\t// Minimum execution time: {} picoseconds.", grouped(picos(min)));
	let _ = writeln!(
		out,
		"\t\tWeight::from_parts({}, {})",
		grouped(picos(fold(&a.time))),
		grouped(bytes(fold(&a.proof)))
	);
	for p in &f.params {
		if let Some(i) = a.components.iter().position(|c| &c.0 == p) {
			let _ = writeln!(
				out,
				"\t\t\t.saturating_add(Weight::from_parts({}, {}).saturating_mul({p}.into()))",
				grouped(picos(a.time.slopes[i])),
				grouped(bytes(a.proof.slopes[i])),
			);
		}
	}
	let observed: [(&str, &crate::fit::Model, fn(&crate::bench::Point) -> f64); 2] =
		[("reads", &a.reads, |p| p.reads), ("writes", &a.writes, |p| p.writes)];
	for (kind, model, value) in observed {
		// Integer slopes per parameter, then the smallest integer base that covers every
		// measured point: exact counts stay exact, and a step is never under-counted.
		let slopes: Vec<(&String, usize, u64)> = f
			.params
			.iter()
			.filter_map(|p| a.components.iter().position(|c| &c.0 == p).map(|i| (p, i)))
			.map(|(p, i)| (p, i, count(model.slopes[i])))
			.collect();
		let base = a
			.points
			.iter()
			.map(|point| {
				let covered: f64 =
					slopes.iter().map(|(_, i, s)| *s as f64 * f64::from(point.x[*i])).sum();
				(value(point) - covered).ceil().max(0.0) as u64
			})
			.max()
			.unwrap_or(0);
		if base > 0 {
			let _ = writeln!(out, "\t\t\t.saturating_add({db}.{kind}({base}_u64))");
		}
		for (p, _, slope) in slopes {
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

/// The whole `weights.rs` of `pallet` with the trait `weight_trait`, from `analyses`.
pub fn render(
	pallet: &str,
	weight_trait: &WeightTrait,
	analyses: &[Analysis],
	provenance: &Provenance,
	name: Namer<'_>,
) -> Result<String, String> {
	let mut out = String::new();
	let _ = write!(
		out,
		"// This file is part of GPoW.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `{pallet}`.
//!
//! GENERATED by `gpow-weights` (`tools/weights`) from the benchmarks in `benchmarking.rs`; do not
//! edit by hand. Regenerate with:
//!
//! ```text
//! {command}
//! ```
//!
//! - Date: {date} (UTC)
//! - Machine: {machine}
//! - Arguments: `{args}`
//! - Times are **native execution** of the benchmarks against `gpow-runtime` (built with
//!   `runtime-benchmarks`), **not Wasm**: the Wasm executor is typically slower, so keep margins.
//! - Each point is the median of its repeats; each function is a least-squares fit over the
//!   points (each component over its range while the others are at their maximum).
//! - Reads and writes are distinct, non-whitelisted storage keys, counted by an in-memory trie
//!   backend; proof sizes are measured (trie nodes recorded), not `MaxEncodedLen` estimates.
//! - A component that is not a parameter of its weight function is taken at its maximum.
",
		command = provenance.command,
		date = provenance.date,
		machine = provenance.machine,
		args = provenance.args,
	);
	out.push_str(
		"
#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

",
	);
	out.push_str(&weight_trait.text);
	out.push_str("\n\n");
	let _ = writeln!(
		out,
		"/// Weights for `{pallet}` measured on the GPoW runtime (native execution)."
	);
	out.push_str("pub struct SubstrateWeight<T>(PhantomData<T>);\n");
	out.push_str("impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {\n");
	let mut tests = String::new();
	for f in &weight_trait.fns {
		let a = analyses.iter().find(|a| a.name == f.name).ok_or_else(|| {
			format!("{pallet}: no benchmark `{}` for its weight function", f.name)
		})?;
		for p in &f.params {
			if !a.components.iter().any(|c| &c.0 == p) {
				return Err(format!("{pallet}::{}: no component `{p}` in its benchmark", f.name));
			}
		}
		out.push_str(&render_fn(f, a, "T::DbWeight::get()", name));
		tests.push_str(&render_fn(f, a, "RocksDbWeight::get()", name));
	}
	out.push_str("}\n\n// For backwards compatibility and tests.\nimpl WeightInfo for () {\n");
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
	fn numbers_are_grouped() {
		assert_eq!(grouped(0), "0");
		assert_eq!(grouped(1_234), "1_234");
		assert_eq!(grouped(12_345_678), "12_345_678");
	}
}
