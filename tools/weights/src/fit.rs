//! The linear model of a benchmark: the median of the repeats at each point, then ordinary least
//! squares over the points, `y = base + Σ slope_i · x_i`, as `frame-benchmarking-cli`'s default
//! (`min_squares`) analysis does, with slopes and base kept non-negative.

/// A fitted linear model: `base + Σ slopes[i] · x[i]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
	/// The value with every component at zero.
	pub base: f64,
	/// The increase per unit of each component, in the components' order.
	pub slopes: Vec<f64>,
}

/// The median of `values` (the mean of the two middle values for an even count); 0 if empty.
pub fn median(values: &[f64]) -> f64 {
	if values.is_empty() {
		return 0.0;
	}
	let mut sorted = values.to_vec();
	sorted.sort_by(f64::total_cmp);
	let mid = sorted.len() / 2;
	if sorted.len() % 2 == 1 {
		sorted[mid]
	} else {
		(sorted[mid - 1] + sorted[mid]) / 2.0
	}
}

/// Least squares fit of `points` (component values, observed value) with `k` components.
///
/// A component that takes a single value gets slope 0. Negative slopes are set to 0 and the rest
/// refitted; a negative base becomes 0.
pub fn fit(points: &[(Vec<u32>, f64)], k: usize) -> Model {
	let mut free: Vec<bool> = (0..k)
		.map(|i| {
			let mut values = points.iter().map(|(x, _)| x[i]);
			let first = values.next();
			values.any(|v| Some(v) != first)
		})
		.collect();
	loop {
		let model = solve(points, &free);
		match model.slopes.iter().position(|s| *s < 0.0) {
			Some(i) => free[i] = false,
			None => {
				// `+ 0.0` turns a `-0.0` into `0.0`.
				let slopes = model.slopes.iter().map(|s| s + 0.0).collect();
				return Model { base: model.base.max(0.0), slopes };
			},
		}
	}
}

/// Least squares with an intercept over the components marked `free`; the others get slope 0.
fn solve(points: &[(Vec<u32>, f64)], free: &[bool]) -> Model {
	let columns: Vec<usize> = (0..free.len()).filter(|i| free[*i]).collect();
	let n = columns.len() + 1;
	let row = |x: &[u32]| -> Vec<f64> {
		core::iter::once(1.0).chain(columns.iter().map(|i| f64::from(x[*i]))).collect()
	};
	// The normal equations (XᵀX) β = Xᵀy as an augmented matrix.
	let mut m = vec![vec![0.0; n + 1]; n];
	for (x, y) in points {
		let r = row(x);
		for i in 0..n {
			for j in 0..n {
				m[i][j] += r[i] * r[j];
			}
			m[i][n] += r[i] * y;
		}
	}
	let beta = gauss(m);
	let mut slopes = vec![0.0; free.len()];
	for (c, i) in columns.iter().enumerate() {
		slopes[*i] = beta[c + 1];
	}
	Model { base: beta[0], slopes }
}

/// Solves an augmented `n × (n+1)` system by Gaussian elimination with partial pivoting; a
/// singular column gets 0.
fn gauss(mut m: Vec<Vec<f64>>) -> Vec<f64> {
	let n = m.len();
	for col in 0..n {
		let pivot = (col..n)
			.max_by(|a, b| m[*a][col].abs().total_cmp(&m[*b][col].abs()))
			.unwrap_or(col);
		m.swap(col, pivot);
		if m[col][col].abs() < 1e-12 {
			continue;
		}
		let pivot_row = m[col].clone();
		for (r, row) in m.iter_mut().enumerate() {
			if r != col {
				let factor = row[col] / pivot_row[col];
				for (value, p) in row.iter_mut().zip(&pivot_row).skip(col) {
					*value -= factor * p;
				}
			}
		}
	}
	(0..n)
		.map(|i| if m[i][i].abs() < 1e-12 { 0.0 } else { m[i][n] / m[i][i] })
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn exact_lines_are_recovered() {
		let points: Vec<(Vec<u32>, f64)> = [(0, 5), (10, 5), (20, 5), (20, 0), (20, 10)]
			.iter()
			.map(|&(a, b)| (vec![a, b], 100.0 + 3.0 * f64::from(a) + 7.0 * f64::from(b)))
			.collect();
		let model = fit(&points, 2);
		assert!((model.base - 100.0).abs() < 1e-6);
		assert!((model.slopes[0] - 3.0).abs() < 1e-9 && (model.slopes[1] - 7.0).abs() < 1e-9);
	}

	#[test]
	fn negative_slopes_and_constant_components_get_zero() {
		let points = vec![(vec![0, 4], 10.0), (vec![10, 4], 9.0), (vec![20, 4], 8.0)];
		let model = fit(&points, 2);
		assert_eq!(model.slopes, vec![0.0, 0.0]);
		assert!((model.base - 9.0).abs() < 1e-9);
	}

	#[test]
	fn median_of_repeats() {
		assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
		assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
		assert_eq!(median(&[]), 0.0);
	}
}
