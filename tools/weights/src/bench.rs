//! Running a pallet's benchmarks natively: the sampling of each component's range, the repeats,
//! and the analysis of the results into linear models.

use crate::{
	fit::{fit, median, Model},
	state::CountingBackend,
};
use frame_benchmarking::{BenchmarkError, BenchmarkMetadata, BenchmarkParameter, BenchmarkResult};
use sp_core::storage::TrackedStorageKey;
use sp_runtime::traits::BlakeTwo256;
use sp_state_machine::{Ext, OverlayedChanges};
use std::collections::BTreeMap;

/// A pallet of the runtime with benchmarks, and where its weights live.
pub struct PalletSpec {
	/// The pallet's crate name, e.g. `pallet_reputation`.
	pub name: &'static str,
	/// Its directory in the repository, e.g. `pallets/reputation`.
	pub dir: &'static str,
	/// `Benchmarking::benchmarks` of the pallet instantiated with the runtime.
	pub list: fn(bool) -> Vec<BenchmarkMetadata>,
	/// `Benchmarking::run_benchmark` of the pallet instantiated with the runtime.
	pub run: RunFn,
}

/// The signature of `Benchmarking::run_benchmark`.
pub type RunFn = fn(
	&[u8],
	&[(BenchmarkParameter, u32)],
	&[TrackedStorageKey],
	bool,
	u32,
) -> Result<Vec<BenchmarkResult>, BenchmarkError>;

/// The pallet `$pallet` (a `Pallet<Runtime>` alias) as a [`PalletSpec`].
macro_rules! pallet_spec {
	($name:literal, $dir:literal, $pallet:ty) => {
		$crate::bench::PalletSpec {
			name: $name,
			dir: $dir,
			list: <$pallet as frame_benchmarking::Benchmarking>::benchmarks,
			run: <$pallet as frame_benchmarking::Benchmarking>::run_benchmark,
		}
	};
}
pub(crate) use pallet_spec;

/// How to sample: points per component range and repeats per point.
#[derive(Clone, Copy, Debug)]
pub struct Sampling {
	/// Points per component range, both ends included (at least 2).
	pub steps: u32,
	/// Timed runs per point.
	pub repeat: u32,
}

/// The measured medians at one point of a benchmark's components.
#[derive(Clone, Debug, Default)]
pub struct Point {
	/// The component values, in the benchmark's component order.
	pub x: Vec<u32>,
	/// Median extrinsic time, nanoseconds.
	pub time_ns: f64,
	/// Median DB reads (distinct keys, not whitelisted).
	pub reads: f64,
	/// Median DB writes (distinct keys, not whitelisted).
	pub writes: f64,
	/// Median proof size, bytes.
	pub proof: f64,
	/// The smallest extrinsic time of the repeats, nanoseconds.
	pub min_time_ns: f64,
	/// Reads and writes per storage prefix of one run: (prefix, reads, writes).
	pub keys: Vec<(Vec<u8>, u32, u32)>,
}

/// The analysed results of one benchmark.
#[derive(Clone, Debug)]
pub struct Analysis {
	/// The benchmark's name.
	pub name: String,
	/// Its components: (name, low, high).
	pub components: Vec<(String, u32, u32)>,
	/// The medians at each sampled point.
	pub points: Vec<Point>,
	/// Extrinsic time, nanoseconds.
	pub time: Model,
	/// DB reads.
	pub reads: Model,
	/// DB writes.
	pub writes: Model,
	/// Proof size, bytes.
	pub proof: Model,
}

impl Analysis {
	/// The point with these component values, if sampled.
	pub fn point(&self, x: &[u32]) -> Option<&Point> {
		self.points.iter().find(|p| p.x == x)
	}

	/// The point with every component at its maximum (the worst case).
	pub fn worst(&self) -> Option<&Point> {
		let high: Vec<u32> = self.components.iter().map(|c| c.2).collect();
		self.point(&high)
	}
}

/// The points at which a benchmark with `components` (name, low, high) runs: each component over
/// `steps` values from low to high while the others stay at their high end (as
/// `frame-benchmarking-cli` samples), or the single empty point.
pub fn sample_points(components: &[(BenchmarkParameter, u32, u32)], steps: u32) -> Vec<Vec<u32>> {
	let high: Vec<u32> = components.iter().map(|c| c.2).collect();
	let mut points: Vec<Vec<u32>> = Vec::new();
	if components.is_empty() {
		points.push(Vec::new());
	}
	let steps = steps.max(2);
	for (i, &(_, low, hi)) in components.iter().enumerate() {
		for s in 0..steps {
			let value = low + ((u64::from(hi - low) * u64::from(s)) / u64::from(steps - 1)) as u32;
			let mut x = high.clone();
			x[i] = value;
			if !points.contains(&x) {
				points.push(x);
			}
		}
	}
	points
}

/// Runs one benchmark at one point on `backend` with fresh externalities.
fn run_once(
	backend: &CountingBackend,
	spec: &PalletSpec,
	name: &str,
	params: &[(BenchmarkParameter, u32)],
	whitelist: &[TrackedStorageKey],
	verify: bool,
) -> Result<Vec<BenchmarkResult>, BenchmarkError> {
	let mut overlay = OverlayedChanges::<BlakeTwo256>::default();
	let mut ext = Ext::new(&mut overlay, backend, None);
	sp_externalities::set_and_run_with_externalities(&mut ext, || {
		(spec.run)(name.as_bytes(), params, whitelist, verify, 1)
	})
}

/// Runs every benchmark of `spec` (or those named in `only`) over its components' ranges with
/// `sampling`, on a fresh [`CountingBackend`] holding `genesis`, and analyses the results.
/// `progress` is told about each benchmark as it starts.
pub fn run_pallet(
	spec: &PalletSpec,
	genesis: &sp_runtime::Storage,
	whitelist: &[TrackedStorageKey],
	sampling: Sampling,
	only: &[String],
	progress: &mut dyn FnMut(&str, usize),
) -> Result<Vec<Analysis>, String> {
	let backend = CountingBackend::new(genesis.clone());
	let mut analyses = Vec::new();
	for meta in (spec.list)(false) {
		let name = String::from_utf8_lossy(&meta.name).into_owned();
		if !only.is_empty() && !only.contains(&name) {
			continue;
		}
		let points = sample_points(&meta.components, sampling.steps);
		progress(&name, points.len());
		let mut runs: BTreeMap<Vec<u32>, Vec<BenchmarkResult>> = BTreeMap::new();
		for repeat in 0..sampling.repeat.max(1) {
			for x in &points {
				let params: Vec<(BenchmarkParameter, u32)> =
					meta.components.iter().zip(x).map(|(c, v)| (c.0, *v)).collect();
				if repeat == 0 {
					// One untimed run per point checks the benchmark's `verify` block.
					match run_once(&backend, spec, &name, &params, whitelist, true) {
						Ok(_) | Err(BenchmarkError::Override(_)) => {},
						Err(BenchmarkError::Skip) => continue,
						Err(BenchmarkError::Weightless) => break,
						Err(BenchmarkError::Stop(e)) => {
							return Err(format!("{}::{name} {x:?} failed: {e}", spec.name))
						},
					}
				}
				let results = match run_once(&backend, spec, &name, &params, whitelist, false) {
					Ok(results) => results,
					Err(BenchmarkError::Override(result)) => vec![result],
					Err(BenchmarkError::Skip) | Err(BenchmarkError::Weightless) => continue,
					Err(BenchmarkError::Stop(e)) => {
						return Err(format!("{}::{name} {x:?} failed: {e}", spec.name))
					},
				};
				runs.entry(x.clone()).or_default().extend(results);
			}
		}
		analyses.push(analyse(&name, &meta, runs));
	}
	Ok(analyses)
}

/// Medians per point, then a least-squares model per metric.
fn analyse(
	name: &str,
	meta: &BenchmarkMetadata,
	runs: BTreeMap<Vec<u32>, Vec<BenchmarkResult>>,
) -> Analysis {
	let points: Vec<Point> = runs
		.into_iter()
		.filter(|(_, results)| !results.is_empty())
		.map(|(x, results)| {
			let metric =
				|f: fn(&BenchmarkResult) -> f64| median(&results.iter().map(f).collect::<Vec<_>>());
			Point {
				time_ns: metric(|r| r.extrinsic_time as f64),
				reads: metric(|r| f64::from(r.reads)),
				writes: metric(|r| f64::from(r.writes)),
				proof: metric(|r| f64::from(r.proof_size)),
				min_time_ns: results
					.iter()
					.map(|r| r.extrinsic_time as f64)
					.fold(f64::MAX, f64::min),
				keys: results[0].keys.iter().map(|(k, r, w, _)| (k.clone(), *r, *w)).collect(),
				x,
			}
		})
		.collect();
	let k = meta.components.len();
	let model = |f: fn(&Point) -> f64| {
		fit(&points.iter().map(|p| (p.x.clone(), f(p))).collect::<Vec<_>>(), k)
	};
	Analysis {
		name: name.to_owned(),
		components: meta.components.iter().map(|c| (format!("{:?}", c.0), c.1, c.2)).collect(),
		time: model(|p| p.time_ns),
		reads: model(|p| p.reads),
		writes: model(|p| p.writes),
		proof: model(|p| p.proof),
		points,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use BenchmarkParameter::{m, n};

	#[test]
	fn components_vary_one_at_a_time_with_the_others_at_their_maximum() {
		let points = sample_points(&[(n, 10, 10_000), (m, 0, 32)], 3);
		assert_eq!(
			points,
			vec![
				vec![10, 32],
				vec![5_005, 32],
				vec![10_000, 32],
				vec![10_000, 0],
				vec![10_000, 16]
			]
		);
		assert_eq!(sample_points(&[], 5), vec![Vec::<u32>::new()]);
	}
}
