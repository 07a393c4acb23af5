use gpow_primitives_pow::nonce_meets;

use super::*;

/// Block difficulty 4,096 and 64 shares a block: share difficulty 64, so shares and blocks are
/// found in a few thousand hashes.
const DIFFICULTY: u64 = 4096;
const FIRST: u64 = 1_000;

fn template(seed: u8) -> Template {
	Template {
		pre_hash: H256::repeat_byte(seed),
		parent_hash: H256::repeat_byte(seed.wrapping_add(100)),
		number: 7 + seed as u64,
		difficulty: U256::from(DIFFICULTY),
	}
}

fn book(limits: Limits) -> JobBook {
	let mut book = JobBook::new(FIRST, limits);
	assert!(book.set_template(Some(template(1))));
	book
}

/// The first nonce of the job's range that `pick` accepts, given its share and block check.
fn nonce_where(job: &Job, pick: impl Fn(bool, bool) -> bool) -> u64 {
	let pre = job.pre_hash.to_fixed_bytes();
	(job.nonce_start..=job.nonce_end)
		.find(|n| {
			pick(nonce_meets(&pre, *n, job.share_difficulty), nonce_meets(&pre, *n, job.difficulty))
		})
		.expect("a nonce within the range")
}

fn share_nonce(job: &Job) -> u64 {
	nonce_where(job, |share, block| share && !block)
}

fn block_nonce(job: &Job) -> u64 {
	nonce_where(job, |_, block| block)
}

fn low_nonce(job: &Job) -> u64 {
	nonce_where(job, |share, _| !share)
}

fn kind(result: Result<Verdict, Refusal>) -> ErrorKind {
	result.expect_err("a refusal").kind
}

fn counts(book: &JobBook, worker: &str) -> WorkerShares {
	book.shares().into_iter().find(|w| w.worker == worker).expect("the worker")
}

#[test]
fn jobs_follow_the_template() {
	let mut book = JobBook::new(FIRST, Limits::default());
	assert_eq!(book.work_for("w", 0).unwrap_err().kind, ErrorKind::NoWork);
	assert!(book.set_template(Some(template(1))));
	assert!(!book.set_template(Some(template(1))), "the same template is the same job");
	let job = book.work_for("w", 0).unwrap();
	assert_eq!((job.job_id, job.number, job.worker.as_str()), (FIRST, 8, "w"));
	assert_eq!(job.share_difficulty, U256::from(DIFFICULTY / 64));
	assert!(!book.set_template(None));
	assert_eq!(book.work_for("w", 0).unwrap_err().kind, ErrorKind::NoWork);
	assert!(!book.set_template(Some(template(1))), "back after a gap: still the same job");
	assert_eq!(book.current_job_id(), Some(FIRST));
	assert!(book.set_template(Some(template(2))));
	assert_eq!(book.work_for("w", 0).unwrap().job_id, FIRST + 1);
}

#[test]
fn the_share_difficulty_is_at_least_one() {
	let book = JobBook::new(0, Limits::default());
	assert_eq!(book.share_difficulty(U256::from(10)), U256::one());
	assert_eq!(book.share_difficulty(U256::from(640)), U256::from(10));
}

#[test]
fn shares_and_blocks_are_told_apart_and_counted() {
	let mut book = book(Limits::default());
	let job = book.work_for("w", 0).unwrap();
	let share = share_nonce(&job);
	assert_eq!(
		book.check(job.job_id, &share.to_string(), "w", 1),
		Ok(Verdict::Share { job_id: FIRST, number: 8 })
	);
	let block = block_nonce(&job);
	let seal = Seal { difficulty: U256::from(DIFFICULTY), nonce: block };
	assert_eq!(
		book.check(job.job_id, &block.to_string(), "w", 2),
		Ok(Verdict::Block { job_id: FIRST, number: 8, seal })
	);
	// A block counts once the node reports how sealing went.
	assert_eq!((counts(&book, "w").shares, counts(&book, "w").blocks), (1, 0));
	book.sealed("w", true, 3);
	let w = counts(&book, "w");
	assert_eq!(
		(w.shares, w.blocks, w.stale, w.invalid, w.duplicates, w.last_seen),
		(2, 1, 0, 0, 0, 3)
	);
}

#[test]
fn a_block_whose_template_changed_meanwhile_is_stale() {
	let mut book = book(Limits::default());
	let job = book.work_for("w", 0).unwrap();
	let block = block_nonce(&job);
	assert!(matches!(
		book.check(job.job_id, &block.to_string(), "w", 1),
		Ok(Verdict::Block { .. })
	));
	book.sealed("w", false, 2);
	let w = counts(&book, "w");
	assert_eq!((w.shares, w.blocks, w.stale), (0, 0, 1));
}

#[test]
fn work_below_the_share_difficulty_is_invalid() {
	let mut book = book(Limits::default());
	let job = book.work_for("w", 0).unwrap();
	let low = low_nonce(&job);
	assert_eq!(kind(book.check(job.job_id, &low.to_string(), "w", 1)), ErrorKind::LowWork);
	assert_eq!(counts(&book, "w").invalid, 1);
}

#[test]
fn a_nonce_accepted_once_is_a_duplicate_even_after_the_job_went_stale() {
	let mut book = book(Limits::default());
	let job = book.work_for("w", 0).unwrap();
	let share = share_nonce(&job).to_string();
	assert!(book.check(job.job_id, &share, "w", 1).is_ok());
	assert_eq!(kind(book.check(job.job_id, &share, "w", 2)), ErrorKind::Duplicate);
	book.set_template(Some(template(2)));
	assert_eq!(kind(book.check(job.job_id, &share, "w", 3)), ErrorKind::Duplicate);
	let w = counts(&book, "w");
	assert_eq!((w.shares, w.duplicates, w.invalid, w.stale), (1, 2, 0, 0));
}

#[test]
fn a_job_that_is_no_longer_current_is_stale() {
	let mut book = book(Limits { recent_jobs: 3, ..Limits::default() });
	let old = book.work_for("w", 0).unwrap();
	let share = share_nonce(&old).to_string();
	book.set_template(Some(template(2)));
	// Replaced by a newer template: stale before any hashing.
	assert_eq!(kind(book.check(old.job_id, &share, "w", 1)), ErrorKind::Stale);
	// The template went away (the node sealed a block or syncs): the newest job is stale too.
	let newest = book.work_for("w", 1).unwrap();
	book.set_template(None);
	assert_eq!(
		kind(book.check(newest.job_id, &share_nonce(&newest).to_string(), "w", 2)),
		ErrorKind::Stale
	);
	// Older than the jobs remembered.
	book.set_template(Some(template(3)));
	book.set_template(Some(template(4)));
	assert_eq!(kind(book.check(old.job_id, &share, "w", 3)), ErrorKind::Stale);
	assert_eq!(counts(&book, "w").stale, 3);
}

#[test]
fn job_ids_never_issued_are_unknown() {
	let mut book = book(Limits::default());
	book.work_for("w", 0).unwrap();
	for id in [FIRST - 1, FIRST + 1, u64::MAX] {
		assert_eq!(kind(book.check(id, "1", "w", 1)), ErrorKind::UnknownJob, "{id}");
	}
	assert_eq!(counts(&book, "w").invalid, 3);
}

#[test]
fn nonces_outside_the_workers_range_are_refused() {
	let mut book = book(Limits::default());
	let a = book.work_for("a", 0).unwrap();
	let b = book.work_for("b", 0).unwrap();
	assert!(a.nonce_end < b.nonce_start);
	// A valid share of a's range, submitted by b.
	let share = share_nonce(&a).to_string();
	assert_eq!(kind(book.check(a.job_id, &share, "b", 1)), ErrorKind::OutOfRange);
	assert_eq!(counts(&book, "b").invalid, 1);
	assert!(book.check(a.job_id, &share, "a", 1).is_ok());
}

#[test]
fn malformed_nonces_are_refused() {
	let mut book = book(Limits::default());
	let job = book.work_for("w", 0).unwrap();
	for bad in ["", "abc", "-1", "0x10", "18446744073709551616", " 1"] {
		assert_eq!(kind(book.check(job.job_id, bad, "w", 1)), ErrorKind::BadNonce, "{bad:?}");
	}
	assert_eq!(counts(&book, "w").invalid, 6);
}

#[test]
fn workers_must_ask_for_work_first() {
	let mut book = book(Limits::default());
	let job = book.work_for("w", 0).unwrap();
	assert_eq!(kind(book.check(job.job_id, "1", "stranger", 1)), ErrorKind::UnknownWorker);
	assert_eq!(kind(book.check(job.job_id, "1", "bad name", 1)), ErrorKind::BadWorker);
	assert_eq!(book.shares().len(), 1, "refused names are not added");
}

#[test]
fn a_job_holds_a_bounded_number_of_shares() {
	let mut book = book(Limits { shares_per_job: 2, ..Limits::default() });
	let job = book.work_for("w", 0).unwrap();
	let pre = job.pre_hash.to_fixed_bytes();
	let mut shares = (job.nonce_start..).filter(|n| {
		nonce_meets(&pre, *n, job.share_difficulty) && !nonce_meets(&pre, *n, job.difficulty)
	});
	for _ in 0..2 {
		let nonce = shares.next().unwrap().to_string();
		assert!(matches!(book.check(job.job_id, &nonce, "w", 1), Ok(Verdict::Share { .. })));
	}
	let third = shares.next().unwrap().to_string();
	assert_eq!(kind(book.check(job.job_id, &third, "w", 1)), ErrorKind::JobFull);
	// A new job starts a new set.
	book.set_template(Some(template(2)));
	let job = book.work_for("w", 2).unwrap();
	assert!(book.check(job.job_id, &share_nonce(&job).to_string(), "w", 3).is_ok());
}
