//! The holder and member table: for every benchmark with a component whose range covers both 10
//! and 10,000 (REP holders, panel members), the measured medians at the two ends with the other
//! components at their maximum, from the bencher's raw results (`--json-file`). It shows that a
//! call's cost does not grow with the number of holders, which a fitted slope alone can hide.

use crate::results::Benchmark;
use serde_json::Value;

/// The medians of one benchmark at one point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Medians {
	/// Extrinsic time, nanoseconds.
	pub time_ns: u128,
	/// Database reads.
	pub reads: u128,
	/// Database writes.
	pub writes: u128,
}

/// A row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
	/// The benchmark.
	pub benchmark: String,
	/// The component, its two ends and the other components' values.
	pub label: String,
	/// At the low end.
	pub low: Medians,
	/// At the high end.
	pub high: Medians,
}

fn median(mut values: Vec<u128>) -> Option<u128> {
	values.sort_unstable();
	values.get(values.len() / 2).copied()
}

/// The component values of a raw result, in the order of `ranges`.
fn point(result: &Value, ranges: &[(String, u32, u32)]) -> Option<Vec<u32>> {
	let components = result.get("components")?.as_array()?;
	ranges
		.iter()
		.map(|(name, _, _)| {
			components.iter().find_map(|c| {
				let pair = c.as_array()?;
				if pair.first()?.as_str()? != name {
					return None;
				}
				u32::try_from(pair.get(1)?.as_u64()?).ok()
			})
		})
		.collect()
}

/// The medians of `field` over the results of `list` at component values `x`.
fn median_at(batch: &Value, list: &str, field: &str, x: &[u32], b: &Benchmark) -> Option<u128> {
	let values = batch
		.get(list)?
		.as_array()?
		.iter()
		.filter(|r| point(r, &b.ranges).as_deref() == Some(x))
		.filter_map(|r| r.get(field)?.as_u64().map(u128::from))
		.collect();
	median(values)
}

/// The rows for the benchmarks of `results` found in the bencher's JSON `raw`.
pub fn rows(raw: &Value, benchmarks: &[Benchmark]) -> Vec<Row> {
	let mut rows = Vec::new();
	let Some(batches) = raw.as_array() else { return rows };
	for b in benchmarks {
		let Some(batch) = batches
			.iter()
			.find(|x| x.get("benchmark").and_then(Value::as_str) == Some(&b.name))
		else {
			continue;
		};
		for (i, (c, low, high)) in b.ranges.iter().enumerate() {
			if *low > 10 || *high < 10_000 {
				continue;
			}
			let at = |v: u32| {
				let mut x: Vec<u32> = b.ranges.iter().map(|r| r.2).collect();
				x[i] = v;
				Some(Medians {
					time_ns: median_at(batch, "time_results", "extrinsic_time", &x, b)?,
					reads: median_at(batch, "db_results", "reads", &x, b)?,
					writes: median_at(batch, "db_results", "writes", &x, b)?,
				})
			};
			let (Some(lo), Some(hi)) = (at(*low), at(*high)) else { continue };
			let others: Vec<String> = b
				.ranges
				.iter()
				.filter(|r| &r.0 != c)
				.map(|r| format!("{}={}", r.0, r.2))
				.collect();
			let label = if others.is_empty() {
				format!("{c}: {low}->{high}")
			} else {
				format!("{c}: {low}->{high} ({})", others.join(","))
			};
			rows.push(Row { benchmark: b.name.clone(), label, low: lo, high: hi });
		}
	}
	rows
}

/// Prints the table of `rows` for `pallet`, if there are any.
pub fn print(pallet: &str, rows: &[Row]) {
	if rows.is_empty() {
		return;
	}
	println!("\n{pallet}: measured medians at the low vs the high end of the holder/member count");
	println!(
		"  {:<16} {:<26} {:>10} {:>10} {:>7}  {:>9} {:>9}",
		"benchmark", "component", "low µs", "high µs", "ratio", "r/w low", "r/w high"
	);
	for r in rows {
		println!(
			"  {:<16} {:<26} {:>10.2} {:>10.2} {:>7.2}  {:>9} {:>9}",
			r.benchmark,
			r.label,
			r.low.time_ns as f64 / 1000.0,
			r.high.time_ns as f64 / 1000.0,
			r.high.time_ns as f64 / (r.low.time_ns as f64).max(1.0),
			format!("{}/{}", r.low.reads, r.low.writes),
			format!("{}/{}", r.high.reads, r.high.writes),
		);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_ends_of_a_holder_range_are_compared_at_their_medians() {
		let b = Benchmark {
			name: "stake".into(),
			ranges: vec![("n".into(), 10, 10_000), ("m".into(), 0, 32)],
			..Default::default()
		};
		let run = |n: u32, m: u32, t: u64| serde_json::json!({"components": [["n", n], ["m", m]], "extrinsic_time": t, "reads": n / 10, "writes": 1});
		let raw = serde_json::json!([{
			"benchmark": "stake",
			"time_results": [run(10, 32, 50), run(10, 32, 40), run(10, 32, 45), run(10_000, 32, 60), run(10, 0, 1)],
			"db_results": [run(10, 32, 0), run(10_000, 32, 0)],
		}]);
		let rows = rows(&raw, &[b]);
		assert_eq!(rows.len(), 1);
		assert_eq!(rows[0].label, "n: 10->10000 (m=32)");
		assert_eq!(rows[0].low, Medians { time_ns: 45, reads: 1, writes: 1 });
		assert_eq!(rows[0].high, Medians { time_ns: 60, reads: 1_000, writes: 1 });
	}
}
