//! A randomized run of thousands of market operations, checking after each step that escrowed
//! funds equal the fees of the active instances, that each offer's used capacity equals its
//! active volumes, and that bonds and the offer index agree with the offers.

use super::*;

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}

	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}

	fn pick<T: Copy>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize]
	}
}

const PROVIDERS: [AccountId; 3] = [P1, P2, P3];
const CONSUMERS: [AccountId; 3] = [31, 32, 33];

#[test]
fn thousands_of_random_operations_keep_escrow_and_capacity_exact() {
	new_market().execute_with(|| {
		let mut rng = Rng(0x2545_f491_4f6c_dd1d);
		let mut counts = [0u32; 10];
		for _ in 0..3_000u32 {
			let op = rng.below(10);
			let done = match op {
				0 => Services::offer(
					RuntimeOrigin::signed(rng.pick(&PROVIDERS)),
					0,
					1 + rng.below(200),
					1 + rng.below(20),
					bytes(b"e"),
					MIN_STAKE + u128::from(rng.below(300)),
				),
				1 => Services::update_offer(
					RuntimeOrigin::signed(rng.pick(&PROVIDERS)),
					0,
					1 + rng.below(200),
					1 + rng.below(20),
					MIN_STAKE + u128::from(rng.below(300)),
				),
				2 => {
					// An idle offer if there is one: with requests coming all the time, a random
					// provider almost always has an active instance, and withdrawing (and then
					// offering anew) would seldom be exercised.
					let idle = PROVIDERS
						.into_iter()
						.find(|p| Offers::<Test>::get(0, p).is_some_and(|o| o.active == 0));
					let provider = idle.unwrap_or_else(|| rng.pick(&PROVIDERS));
					Services::withdraw_offer(RuntimeOrigin::signed(provider), 0)
				},
				3 | 4 => Services::request(
					RuntimeOrigin::signed(rng.pick(&CONSUMERS)),
					0,
					H256::from_low_u64_be(rng.next()),
					bytes(b"p"),
					1 + rng.below(60),
					1 + rng.below(25),
					if rng.below(4) == 0 { Some(rng.pick(&PROVIDERS)) } else { None },
				),
				5 => {
					let id = rng.below(NextInstanceId::<Test>::get().max(1));
					let provider = Instances::<Test>::get(id).map_or(P1, |i| i.provider);
					Services::submit_result(
						RuntimeOrigin::signed(provider),
						id,
						H256::repeat_byte(1),
						H256::repeat_byte(2),
					)
				},
				6 => {
					// Judge an open evaluation pool, one way or the other, or let it lapse.
					let open: Vec<PoolId> = PoolInstances::<Test>::iter_keys().collect();
					if open.is_empty() {
						Ok(())
					} else {
						let pool = rng.pick(&open);
						let side = match rng.below(3) {
							0 => Some(Side::For),
							1 => Some(Side::Against),
							_ => None,
						};
						let record = Pools::<Test>::get(pool).unwrap();
						match side {
							// Panel members vote (some may have no free REP left, or the
							// window may be over: their stakes fail and change nothing).
							Some(side) => {
								for member in record.panel.unwrap() {
									let _ = Reputation::stake(
										RuntimeOrigin::signed(member),
										pool,
										side,
										free_rep(member).min(1 + u128::from(rng.below(300))),
									);
								}
							},
							None => run_to(record.ends_at.max(System::block_number())),
						}
						Reputation::settle(RuntimeOrigin::signed(CONSUMER), pool)
							.map(|_| ())
							.map_err(|e| e.error)
					}
				},
				7 => {
					let id = rng.below(NextInstanceId::<Test>::get().max(1));
					let consumer = Instances::<Test>::get(id).map_or(CONSUMER, |i| i.consumer);
					if rng.below(2) == 0 {
						Services::cancel(RuntimeOrigin::signed(consumer), id)
					} else {
						Services::close_instance(RuntimeOrigin::signed(consumer), id)
					}
				},
				8 => {
					run_to(System::block_number() + 1 + rng.below(8));
					Ok(())
				},
				_ => {
					// One of the latest instances, declined by its provider (if still in time).
					let id = NextInstanceId::<Test>::get().saturating_sub(1 + rng.below(4));
					let provider = Instances::<Test>::get(id).map_or(P1, |i| i.provider);
					Services::decline(RuntimeOrigin::signed(provider), id)
				},
			};
			if done.is_ok() {
				counts[op as usize] += 1;
			}
			check_invariants();
		}
		// Every kind of operation succeeded many times: the run exercised the market.
		for (op, n) in counts.iter().enumerate() {
			assert!(*n >= 10, "operation {op} succeeded only {n} times: {counts:?}");
		}
	});
}
