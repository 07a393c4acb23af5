//! Unit tests of the PoW math.

use super::*;

/// A work hash whose big-endian value is `value`.
fn work_of(value: U256) -> H256 {
	H256(value.to_big_endian())
}

/// Finds the first nonce from 0 that meets `difficulty` over `pre_image`.
fn mine(pre_image: &[u8; 32], difficulty: U256) -> u64 {
	(0u64..)
		.find(|n| nonce_meets(pre_image, *n, difficulty))
		.expect("a nonce exists")
}

#[test]
fn work_hash_is_blake2_of_pre_image_and_le_nonce() {
	let pre_image = [0xabu8; 32];
	let nonce = 0x0102_0304_0506_0708u64;
	let mut input = pre_image.to_vec();
	input.extend_from_slice(&[8, 7, 6, 5, 4, 3, 2, 1]);
	assert_eq!(work_hash(&pre_image, nonce), H256(sp_crypto_hashing::blake2_256(&input)));
	assert_ne!(work_hash(&pre_image, nonce), work_hash(&pre_image, nonce + 1));
}

#[test]
fn difficulty_one_accepts_every_work() {
	assert!(meets_difficulty(&work_of(U256::MAX), U256::one()));
	assert!(meets_difficulty(&work_of(U256::zero()), U256::one()));
}

#[test]
fn difficulty_zero_accepts_nothing() {
	assert!(!meets_difficulty(&work_of(U256::zero()), U256::zero()));
	assert!(!meets_difficulty(&work_of(U256::one()), U256::zero()));
}

#[test]
fn max_difficulty_accepts_only_work_zero_and_one() {
	assert!(meets_difficulty(&work_of(U256::zero()), U256::MAX));
	assert!(meets_difficulty(&work_of(U256::one()), U256::MAX));
	assert!(!meets_difficulty(&work_of(U256::from(2)), U256::MAX));
	assert!(!meets_difficulty(&work_of(U256::MAX), U256::MAX));
}

#[test]
fn boundary_is_exact() {
	// work * 2 <= MAX  <=>  work <= MAX / 2
	let limit = U256::MAX / 2;
	assert!(meets_difficulty(&work_of(limit), U256::from(2)));
	assert!(!meets_difficulty(&work_of(limit + 1), U256::from(2)));
	let d = U256::from(1_000_003u64);
	let limit = U256::MAX / d;
	assert!(meets_difficulty(&work_of(limit), d));
	assert!(!meets_difficulty(&work_of(limit + 1), d));
}

#[test]
fn effort_is_the_largest_difficulty_met() {
	for work in [U256::one(), U256::from(3), U256::from(u64::MAX), U256::MAX / 7, U256::MAX] {
		let e = effort(&work_of(work));
		assert!(meets_difficulty(&work_of(work), e), "work {work} meets its effort");
		if e < U256::MAX {
			assert!(!meets_difficulty(&work_of(work), e + 1), "work {work} misses effort + 1");
		}
	}
	assert_eq!(effort(&work_of(U256::zero())), U256::MAX);
	assert_eq!(effort(&work_of(U256::MAX)), U256::one());
}

#[test]
fn mined_seal_verifies_and_round_trips() {
	let pre_image = [42u8; 32];
	let difficulty = U256::from(1000);
	let nonce = mine(&pre_image, difficulty);
	let seal = Seal { difficulty, nonce };
	let bytes = seal.encode();
	assert_eq!(bytes.len(), 40);
	assert_eq!(check_seal(&pre_image, &bytes, difficulty), Ok(seal));
	assert!(nonce_effort(&pre_image, nonce) >= difficulty);
}

#[test]
fn seal_for_other_pre_image_fails() {
	let difficulty = U256::from(1_000_000);
	let nonce = mine(&[1u8; 32], difficulty);
	let bytes = Seal { difficulty, nonce }.encode();
	// Another pre-image with the same nonce meets a difficulty of 10^6 with probability 10^-6.
	assert_eq!(check_seal(&[2u8; 32], &bytes, difficulty), Err(SealError::InsufficientWork));
}

#[test]
fn wrong_claimed_difficulty_is_refused() {
	let pre_image = [3u8; 32];
	let nonce = mine(&pre_image, U256::from(100));
	let bytes = Seal { difficulty: U256::from(100), nonce }.encode();
	assert_eq!(
		check_seal(&pre_image, &bytes, U256::from(50)),
		Err(SealError::WrongDifficulty { claimed: U256::from(100), expected: U256::from(50) })
	);
}

#[test]
fn zero_expected_difficulty_is_refused() {
	let bytes = Seal { difficulty: U256::zero(), nonce: 0 }.encode();
	assert_eq!(check_seal(&[0u8; 32], &bytes, U256::zero()), Err(SealError::ZeroDifficulty));
}

#[test]
fn malformed_seals_are_refused() {
	let good = Seal { difficulty: U256::one(), nonce: 7 }.encode();
	let mut long = good.clone();
	long.push(0);
	for bytes in [&[][..], &good[..39], &good[..1], &long[..]] {
		assert_eq!(check_seal(&[0u8; 32], bytes, U256::one()), Err(SealError::Malformed));
	}
	assert_eq!(check_seal(&[0u8; 32], &good, U256::one()).map(|s| s.nonce), Ok(7));
}

#[test]
fn errors_read_clearly() {
	let msg = SealError::WrongDifficulty { claimed: U256::from(2), expected: U256::from(3) };
	assert_eq!(msg.to_string(), "seal claims difficulty 2, the runtime requires 3");
	assert_eq!(SealError::Malformed.to_string(), "malformed seal bytes");
}

#[test]
fn approximate_effort_is_within_2_pow_minus_62_of_the_exact_one() {
	let mut samples: Vec<H256> = (0u64..2000).map(|n| work_hash(&[7u8; 32], n)).collect();
	// Small and extreme work values: exact below 2^64, and zero.
	samples.extend([H256::zero(), H256::from_low_u64_be(1), H256::from_low_u64_be(u64::MAX)]);
	let mut big = [0u8; 32];
	big[23] = 1; // 2^64
	samples.push(H256(big));
	samples.push(H256([0xff; 32]));
	for work in samples {
		let exact = effort(&work);
		let approx = approximate_effort(&work);
		let diff = if exact > approx { exact - approx } else { approx - exact };
		assert!(
			diff <= (exact >> 62) + U256::one(),
			"{work:?}: exact {exact}, approximate {approx}"
		);
	}
}
