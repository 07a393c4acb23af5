//! Amounts of GPOW and REP as people write them: `100`, `2.5`, `0.000000000001` (both have the
//! token's 12 decimals), for the programs' command lines and logs.

use gpow_runtime::{TOKEN_DECIMALS, UNIT};

/// The decimals of an amount: the token's.
pub const DECIMALS: usize = TOKEN_DECIMALS as usize;

/// The amount written `text` (digits, optionally `.` and at most [`DECIMALS`] more digits), in
/// the chain's smallest units; the error says what is wrong in words.
pub fn parse(text: &str) -> Result<u128, String> {
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
	if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > DECIMALS {
		return Err(format!("{text:?} is not an amount (digits, at most {DECIMALS} decimals)"));
	}
	let too_large = || format!("{text:?} is too large an amount");
	let whole: u128 = whole.parse().map_err(|_| too_large())?;
	let fraction: u128 = format!("{fraction:0<DECIMALS$}").parse().map_err(|_| too_large())?;
	whole
		.checked_mul(UNIT)
		.and_then(|w| w.checked_add(fraction))
		.ok_or_else(too_large)
}

/// `amount` (in the smallest units) in the form [`parse`] reads: `100`, `2.5`.
pub fn format(amount: u128) -> String {
	let (whole, fraction) = (amount / UNIT, amount % UNIT);
	if fraction == 0 {
		return whole.to_string();
	}
	let fraction = format!("{fraction:0>DECIMALS$}");
	format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_round_trip() {
		for (text, amount) in [
			("0", 0),
			("1", UNIT),
			("2.5", 5 * UNIT / 2),
			("0.000000000001", 1),
			("5.000000000001", 5 * UNIT + 1),
			("1000000", 1_000_000 * UNIT),
		] {
			assert_eq!(parse(text), Ok(amount), "{text}");
			assert_eq!(format(amount), text);
		}
		assert_eq!(parse("1."), Ok(UNIT));
		assert_eq!(parse("0.10"), Ok(UNIT / 10));
	}

	#[test]
	fn bad_amounts_are_refused_in_words() {
		for bad in ["", "-1", ".5", "1.2.3", "1e3", "0.0000000000001", " 1", "1,5"] {
			let error = parse(bad).unwrap_err();
			assert!(error.contains("is not an amount"), "{bad}: {error}");
		}
		let error = parse("999999999999999999999999999999").unwrap_err();
		assert!(error.contains("too large"), "{error}");
	}
}
