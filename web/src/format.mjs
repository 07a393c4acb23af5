// Amounts and addresses in words people read: GPOW and REP with the chain's decimals, short
// addresses, percentages of parts per billion.

/** GPOW and REP both count in units of 10^-decimals (the chain announces 12). */
export const token = { decimals: 12, symbol: 'GPOW' };

/** Takes the token's decimals and symbol from `system_properties`. */
export function setToken(properties) {
  const decimals = properties.tokenDecimals.unwrapOr([])[0];
  const symbol = properties.tokenSymbol.unwrapOr([])[0];
  if (decimals) token.decimals = decimals.toNumber();
  if (symbol) token.symbol = symbol.toString();
}

/** `1234500000000000n` -> "1,234.5" (at most 4 fractional digits, trailing zeros dropped). */
export function amount(value, unit = token.symbol) {
  const v = BigInt(value.toString());
  const scale = 10n ** BigInt(token.decimals);
  const whole = (v / scale).toLocaleString('en-US');
  const frac = ((v % scale) * 10_000n) / scale;
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(4, '0').replace(/0+$/, '')}`;
  return `${whole}${fracText} ${unit}`.trim();
}

/** An amount of REP. */
export function rep(value) {
  return amount(value, 'REP');
}

/**
 * "12.5" -> 12500000000000n. Throws an Error in words for anything that is not a non-negative
 * decimal number with at most `token.decimals` fractional digits.
 */
export function parseAmount(text, what = 'amount') {
  const s = String(text).trim().replaceAll(',', '');
  const m = s.match(/^(\d*)(?:\.(\d*))?$/);
  if (!s || !m || (m[1] === '' && !m[2])) throw new Error(`The ${what} must be a number, such as 1.5.`);
  const frac = m[2] ?? '';
  if (frac.length > token.decimals) throw new Error(`The ${what} has more than ${token.decimals} decimals.`);
  return BigInt(m[1] || '0') * 10n ** BigInt(token.decimals) + BigInt(frac.padEnd(token.decimals, '0') || '0');
}

/** A whole number from a form field, or an Error in words. */
export function parseCount(text, what) {
  const s = String(text).trim();
  if (!/^\d+$/.test(s)) throw new Error(`The ${what} must be a whole number.`);
  return BigInt(s);
}

/** "5GrwvaEF…KutQY" */
export function short(address) {
  const s = address.toString();
  return s.length > 16 ? `${s.slice(0, 6)}…${s.slice(-5)}` : s;
}

/** Parts per billion -> "12.5 %". */
export function perbill(value) {
  return `${Number(BigInt(value.toString())) / 10_000_000} %`;
}

/** A number with thousands separators. */
export function count(value) {
  return BigInt(value.toString()).toLocaleString('en-US');
}
