//! Reading frame-omni-bencher's analysis of a pallet, as `results.hbs` writes it: one record
//! per line, fields separated by tabs.

use std::collections::BTreeMap;

/// A linear model `base + Σ slope · component`, as the bencher fitted it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Linear {
	/// The value with every component at 0.
	pub base: u128,
	/// The slope per unit of each component with a non-zero slope.
	pub slopes: BTreeMap<String, u128>,
}

impl Linear {
	/// The slope of component `c` (0 when the bencher found none).
	pub fn slope(&self, c: &str) -> u128 {
		self.slopes.get(c).copied().unwrap_or(0)
	}
}

/// One benchmark as the bencher analysed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Benchmark {
	/// Its name, also the name of its weight function.
	pub name: String,
	/// Its components in order: (name, low, high).
	pub ranges: Vec<(String, u32, u32)>,
	/// Extrinsic time, picoseconds.
	pub time: Linear,
	/// Database reads.
	pub reads: Linear,
	/// Database writes.
	pub writes: Linear,
	/// Measured (recorded) proof size, bytes.
	pub proof: Linear,
	/// The smallest time of any run, nanoseconds.
	pub min_time_ns: u128,
	/// The bencher's comments: the storage items read and written, with their proof modes.
	pub comments: Vec<String>,
}

/// A pallet's results: the run's details and its benchmarks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
	/// `meta` records: pallet, date, host, cpu, version, steps, repeat, execution, analysis.
	pub meta: BTreeMap<String, String>,
	/// The benchmarks in the bencher's order.
	pub benchmarks: Vec<Benchmark>,
}

impl Results {
	/// A `meta` value, or `?`.
	pub fn meta(&self, key: &str) -> &str {
		self.meta.get(key).map_or("?", String::as_str)
	}
}

fn number<T: std::str::FromStr>(field: Option<&str>, line: usize) -> Result<T, String> {
	let field = field.ok_or_else(|| format!("line {line}: a field is missing"))?;
	field
		.trim()
		.parse()
		.map_err(|_| format!("line {line}: `{field}` is not a number"))
}

/// Parses the text `results.hbs` produced.
pub fn parse(text: &str) -> Result<Results, String> {
	let mut results = Results::default();
	for (i, line) in text.lines().enumerate() {
		let n = i + 1;
		let mut fields = line.split('\t');
		let kind = fields.next().unwrap_or_default().trim();
		if kind.is_empty() {
			continue;
		}
		if kind == "meta" {
			let key = fields.next().ok_or_else(|| format!("line {n}: meta without a key"))?;
			let value = fields.collect::<Vec<_>>().join("\t");
			results.meta.insert(key.into(), value.trim().into());
			continue;
		}
		if kind == "benchmark" {
			let name =
				fields.next().ok_or_else(|| format!("line {n}: benchmark without a name"))?;
			results
				.benchmarks
				.push(Benchmark { name: name.trim().into(), ..Default::default() });
			continue;
		}
		let b = results
			.benchmarks
			.last_mut()
			.ok_or_else(|| format!("line {n}: `{kind}` before any benchmark"))?;
		match kind {
			"range" => {
				let c = fields.next().ok_or_else(|| format!("line {n}: range without a name"))?;
				let low = number(fields.next(), n)?;
				let high = number(fields.next(), n)?;
				b.ranges.push((c.into(), low, high));
			},
			"base" => {
				b.time.base = number(fields.next(), n)?;
				b.reads.base = number(fields.next(), n)?;
				b.writes.base = number(fields.next(), n)?;
				b.proof.base = number(fields.next(), n)?;
			},
			"slope" => {
				let model = match fields.next() {
					Some("time") => &mut b.time,
					Some("reads") => &mut b.reads,
					Some("writes") => &mut b.writes,
					Some("proof") => &mut b.proof,
					other => return Err(format!("line {n}: unknown slope kind {other:?}")),
				};
				let c = fields.next().ok_or_else(|| format!("line {n}: slope without a name"))?;
				let slope = number(fields.next(), n)?;
				model.slopes.insert(c.into(), slope);
			},
			"min" => b.min_time_ns = number(fields.next(), n)?,
			"comment" => b.comments.push(fields.collect::<Vec<_>>().join("\t")),
			other => return Err(format!("line {n}: unknown record `{other}`")),
		}
	}
	for b in &results.benchmarks {
		for model in [&b.time, &b.reads, &b.writes, &b.proof] {
			if let Some(c) = model.slopes.keys().find(|c| !b.ranges.iter().any(|r| &r.0 == *c)) {
				return Err(format!("{}: a slope for `{c}`, which has no range", b.name));
			}
		}
	}
	Ok(results)
}

#[cfg(test)]
mod tests {
	use super::*;

	const SAMPLE: &str =
		"meta\tpallet\tpallet_x\nmeta\tcpu\tSome CPU\n\nbenchmark\tstake\nrange\tn\t10\t10000\n\
	                      base\t41195757\t3\t4\t567\nslope\ttime\tn\t120\nslope\treads\tn\t1\n\
	                      min\t37249\ncomment\tStorage: `X::Y` (r:1 w:1)\nbenchmark\tclaim\n\
	                      base\t100\t0\t1\t0\nmin\t90\n";

	#[test]
	fn records_are_read_into_benchmarks() {
		let r = parse(SAMPLE).unwrap();
		assert_eq!(r.meta("pallet"), "pallet_x");
		assert_eq!(r.meta("cpu"), "Some CPU");
		assert_eq!(r.meta("date"), "?");
		assert_eq!(r.benchmarks.len(), 2);
		let stake = &r.benchmarks[0];
		assert_eq!(stake.ranges, vec![("n".to_string(), 10, 10_000)]);
		assert_eq!((stake.time.base, stake.time.slope("n")), (41_195_757, 120));
		assert_eq!((stake.reads.base, stake.reads.slope("n"), stake.writes.slope("n")), (3, 1, 0));
		assert_eq!(stake.proof.base, 567);
		assert_eq!(stake.min_time_ns, 37_249);
		assert_eq!(stake.comments, vec!["Storage: `X::Y` (r:1 w:1)".to_string()]);
		assert_eq!(r.benchmarks[1].writes.base, 1);
	}

	#[test]
	fn malformed_records_are_named() {
		assert!(parse("range\tn\t1\t2\n").unwrap_err().contains("before any benchmark"));
		assert!(parse("benchmark\ta\nbase\t1\tx\t0\t0\n")
			.unwrap_err()
			.contains("`x` is not a number"));
		assert!(parse("benchmark\ta\nslope\ttime\tn\t5\n").unwrap_err().contains("no range"));
		assert!(parse("benchmark\ta\nwhat\n").unwrap_err().contains("unknown record"));
	}
}
