//! Text encodings of the command line and of the files: hex and SS58 addresses.

use blake2::{Blake2b512, Digest};

/// Formats bytes as `0x`-prefixed lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut out = String::with_capacity(2 + 2 * bytes.len());
	out.push_str("0x");
	for byte in bytes {
		out.push(char::from(DIGITS[usize::from(byte >> 4)]));
		out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
	}
	out
}

/// Parses hex of any length, with or without a `0x` prefix.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	if digits.is_empty() {
		return Err("empty hex string".into());
	}
	let mut nibbles = Vec::with_capacity(digits.len());
	for (position, c) in digits.chars().enumerate() {
		let nibble = c
			.to_digit(16)
			.ok_or_else(|| format!("invalid hex character {c:?} at position {position}"))?;
		nibbles.push(nibble as u8);
	}
	if !nibbles.len().is_multiple_of(2) {
		return Err(format!("odd number of hex digits ({})", nibbles.len()));
	}
	Ok(nibbles.chunks_exact(2).map(|pair| pair[0] << 4 | pair[1]).collect())
}

/// Parses exactly `N` bytes of hex.
pub fn parse_hex_array<const N: usize>(text: &str) -> Result<[u8; N], String> {
	let bytes = parse_hex(text.trim())?;
	let got = bytes.len();
	<[u8; N]>::try_from(bytes)
		.map_err(|_| format!("expected {N} bytes ({} hex digits), got {got} bytes", 2 * N))
}

/// An account given on the command line: its 32 bytes and the SS58 text as typed (passed on
/// unchanged to the node's RPC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
	/// The `AccountId32`.
	pub id: [u8; 32],
	/// The SS58 address.
	pub ss58: String,
}

/// The SS58 checksum: the first two bytes of `blake2b-512("SS58PRE" || prefix || payload)`.
fn ss58_checksum(data: &[u8]) -> [u8; 2] {
	let mut hasher = Blake2b512::new();
	hasher.update(b"SS58PRE");
	hasher.update(data);
	let hash = hasher.finalize();
	[hash[0], hash[1]]
}

/// Decodes an SS58 address of a 32-byte account, with any network prefix.
pub fn parse_ss58(text: &str) -> Result<Account, String> {
	let text = text.trim();
	if text.is_empty() {
		return Err("empty SS58 address".into());
	}
	let data = bs58::decode(text).into_vec().map_err(|e| match e {
		bs58::decode::Error::InvalidCharacter { character, index } => {
			format!("invalid SS58 address: {character:?} at position {index} is not base58")
		},
		other => format!("invalid SS58 address: {other}"),
	})?;
	// A 1- or 2-byte network prefix, the 32-byte account, a 2-byte checksum.
	let prefix_len = match (data.len(), data.first()) {
		(35, Some(0..=63)) => 1,
		(36, Some(64..=127)) => 2,
		(35 | 36, _) => return Err("invalid SS58 address: bad network prefix".into()),
		(len, _) => {
			return Err(format!(
				"invalid SS58 address: decodes to {len} bytes, an account address has 35 or 36"
			))
		},
	};
	let (body, checksum) = data.split_at(prefix_len + 32);
	if ss58_checksum(body) != checksum {
		return Err("invalid SS58 address: checksum mismatch (mistyped?)".into());
	}
	let id = <[u8; 32]>::try_from(&body[prefix_len..])
		.map_err(|_| "invalid SS58 address: bad length".to_string())?;
	Ok(Account { id, ss58: text.to_string() })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_roundtrip_and_errors() {
		assert_eq!(parse_hex("0x00ff10").unwrap(), [0, 255, 16]);
		assert_eq!(parse_hex("ABcd").unwrap(), [0xab, 0xcd]);
		assert_eq!(to_hex(&[0, 255, 16]), "0x00ff10");
		assert!(parse_hex("0x0g")
			.unwrap_err()
			.contains("invalid hex character 'g' at position 1"));
		assert!(parse_hex("0x123").unwrap_err().contains("odd number"));
		assert!(parse_hex("").unwrap_err().contains("empty"));
		assert!(parse_hex("0xé0").unwrap_err().contains("invalid hex character 'é'"));
		assert!(parse_hex_array::<2>("0x0102").is_ok());
		assert!(parse_hex_array::<2>("0x01").unwrap_err().contains("expected 2 bytes"));
	}

	#[test]
	fn ss58_known_accounts_and_errors() {
		let alice = parse_ss58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap();
		assert_eq!(
			to_hex(&alice.id),
			"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
		);
		let bob = parse_ss58("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty").unwrap();
		assert_eq!(
			to_hex(&bob.id),
			"0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"
		);
		// Polkadot (prefix 0) address of Alice.
		let dot = parse_ss58("15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5").unwrap();
		assert_eq!(dot.id, alice.id);
		assert!(parse_ss58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ")
			.unwrap_err()
			.contains("checksum"));
		assert!(parse_ss58("5Grwva0F").unwrap_err().contains("'0' at position 6"));
		assert!(parse_ss58("5Grwva").unwrap_err().contains("decodes to"));
		assert!(parse_ss58("").unwrap_err().contains("empty"));
	}
}
