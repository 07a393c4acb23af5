//! Judging an instance's work at its provider's endpoint: fetch the definition and the result,
//! check them against the chain, fetch the sampled answers (concurrently), and run the kind's
//! evaluation function from `gpow-market` on what came back.
//!
//! Nothing the endpoint does can fail the daemon: an endpoint that cannot be reached, a missing
//! frame or answer, a frame that does not match its hash or does not decode, a bad proof: each
//! is a named [`Finding`] of a failing [`Judgement`].

use std::{
	collections::HashMap,
	fmt,
	future::Future,
	hash::Hash as StdHash,
	time::{Duration, Instant},
};

use futures::{stream, StreamExt};
use gpow_market::{
	range::{self, LeafAnswer, RangeDefinition, RangeResult},
	sampling,
	storage::{self, ChunkAnswer, StorageDefinition},
	wire::{self, Kind},
	Hash, Reason, ServiceKind, Verdict,
};
use jsonrpsee::{core::client::Error as ClientError, ws_client::WsClient};
use sp_core::Bytes;
use sp_crypto_hashing::blake2_256;

use super::cpu;
use crate::endpoint::{self, MarketEndpointClient};

/// How long the validator waits for the endpoint to connect, and for each answer.
pub const ENDPOINT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many answers the validator asks for at a time.
pub const CONCURRENT_FETCHES: usize = 8;

/// The work of an instance, as the chain describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Work {
	/// The instance.
	pub instance: u64,
	/// Its type's kind.
	pub kind: ServiceKind,
	/// The provider's endpoint (its offer's, on chain).
	pub endpoint: String,
	/// The definition hash on chain.
	pub definition: Hash,
	/// The result hash the provider submitted.
	pub result: Hash,
}

/// A frame the validator fetches whole from the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
	/// The definition (`market_definition`).
	Definition,
	/// The result (`market_result`).
	Result,
}

impl fmt::Display for Frame {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Frame::Definition => "definition",
			Frame::Result => "result",
		})
	}
}

/// Why a piece of work fails: a reason of the kind's evaluation function, or one found before
/// the function could run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
	/// A reason of `range::evaluate` or `storage::evaluate`.
	Work(Reason),
	/// The endpoint gave no definition or result frame (unreachable, refused, timed out).
	Unanswered {
		/// The frame asked for.
		what: Frame,
		/// What went wrong.
		why: String,
	},
	/// The definition frame does not hash to the instance's definition hash on chain.
	DefinitionMismatch {
		/// The hash on chain.
		on_chain: Hash,
		/// The hash of the frame's body, if it has a frame header.
		delivered: Option<Hash>,
	},
	/// A frame that does not decode, or a definition the evaluation function refuses.
	Malformed {
		/// The frame.
		what: Frame,
		/// Why.
		why: String,
	},
}

impl Finding {
	/// The finding's name: the variant of [`Reason`] for a reason of the evaluation function.
	pub fn name(&self) -> &'static str {
		match self {
			Finding::Work(reason) => match reason {
				Reason::CommitmentMismatch { .. } => "CommitmentMismatch",
				Reason::Unanswered { .. } => "Unanswered",
				Reason::BadProof { .. } => "BadProof",
				Reason::WrongHash { .. } => "WrongHash",
				Reason::MissingHit { .. } => "MissingHit",
				Reason::FalseHit { .. } => "FalseHit",
				Reason::HitOutOfRange { .. } => "HitOutOfRange",
				Reason::HitsNotAscending { .. } => "HitsNotAscending",
				Reason::WrongNonce { .. } => "WrongNonce",
				Reason::WrongChunkLength { .. } => "WrongChunkLength",
			},
			Finding::Unanswered { .. } => "Unanswered",
			Finding::DefinitionMismatch { .. } => "DefinitionMismatch",
			Finding::Malformed { .. } => "Malformed",
		}
	}
}

impl fmt::Display for Finding {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Finding::Work(reason) => write!(f, "{reason}"),
			Finding::Unanswered { what, why } => {
				write!(f, "Unanswered {{ {what} }}: no {what} frame: {why}")
			},
			Finding::DefinitionMismatch { on_chain, delivered } => {
				let delivered = delivered.map_or("no frame".into(), |h| super::seed::hex(&h));
				write!(
					f,
					"DefinitionMismatch: the definition frame hashes to {delivered}, the chain \
					 holds {}",
					super::seed::hex(on_chain)
				)
			},
			Finding::Malformed { what, why } => write!(f, "Malformed {{ {what} }}: {why}"),
		}
	}
}

/// A validator's conclusion on one round of evaluation, and what it cost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Judgement {
	/// Whether the work passed.
	pub pass: bool,
	/// The indices sampled (values of a range, chunks of a blob), in the order drawn.
	pub samples: Vec<u64>,
	/// The bytes of the answers the evaluation read ([`Verdict::answer_bytes`]).
	pub answer_bytes: u64,
	/// Every byte of frames the endpoint sent (definition, result and answers).
	pub bytes_read: u64,
	/// Why the work fails; empty when it passes.
	pub findings: Vec<Finding>,
	/// The reasons beyond `gpow_market::verdict::MAX_REASONS`.
	pub omitted: u64,
	/// The CPU time of the evaluation function (decoding and checking the answers).
	pub cpu: Duration,
	/// The time spent waiting for the endpoint.
	pub fetch: Duration,
}

impl Judgement {
	/// A failing judgement for `finding`, found before any sample.
	fn failed(finding: Finding, bytes_read: u64, fetch: Duration) -> Self {
		Judgement { pass: false, findings: vec![finding], bytes_read, fetch, ..Default::default() }
	}

	/// The judgement of the evaluation function's `verdict`.
	fn of(verdict: Verdict, bytes_read: u64, cpu: Duration, fetch: Duration) -> Self {
		Judgement {
			pass: verdict.pass,
			samples: verdict.samples,
			answer_bytes: verdict.answer_bytes,
			bytes_read,
			findings: verdict.failures.into_iter().map(Finding::Work).collect(),
			omitted: verdict.omitted,
			cpu,
			fetch,
		}
	}
}

/// Connects to a provider's endpoint, with [`ENDPOINT_TIMEOUT`] for the connection and for
/// each answer.
pub async fn connect(url: &str) -> Result<WsClient, String> {
	endpoint::connect(url, ENDPOINT_TIMEOUT).await.map_err(|e| e.to_string())
}

/// A client's error in words, a provider's refusal by its name.
fn describe(error: &ClientError) -> String {
	match endpoint::refusal(error) {
		Some(refusal) => format!("{} ({error})", refusal.name()),
		None => error.to_string(),
	}
}

/// The frame's bytes, counting them in `read`.
fn counted(answer: Result<Bytes, ClientError>, read: &mut u64) -> Result<Vec<u8>, String> {
	let bytes = answer.map_err(|e| describe(&e))?.0;
	*read = read.saturating_add(bytes.len() as u64);
	Ok(bytes)
}

/// Asks for every key of `keys` (duplicates once), [`CONCURRENT_FETCHES`] at a time.
async fn fetch_all<K, F, Fut>(keys: &[K], fetch: F) -> HashMap<K, Result<Bytes, ClientError>>
where
	K: Copy + Eq + StdHash,
	F: Fn(K) -> Fut,
	Fut: Future<Output = Result<Bytes, ClientError>>,
{
	let mut unique = keys.to_vec();
	let mut seen = std::collections::HashSet::new();
	unique.retain(|key| seen.insert(*key));
	stream::iter(unique)
		.map(|key| {
			let answer = fetch(key);
			async move { (key, answer.await) }
		})
		.buffer_unordered(CONCURRENT_FETCHES)
		.collect()
		.await
}

/// Counts the answers' bytes in `read` and keeps each as bytes or the error in words.
fn answers_read<K: Eq + StdHash>(
	answers: HashMap<K, Result<Bytes, ClientError>>,
	read: &mut u64,
) -> HashMap<K, Result<Vec<u8>, String>> {
	answers.into_iter().map(|(key, answer)| (key, counted(answer, read))).collect()
}

/// The answer to `key`, decoded as `M`, or why there is none.
fn answer<K: Eq + StdHash, M: wire::Message>(
	answers: &HashMap<K, Result<Vec<u8>, String>>,
	key: &K,
) -> Result<M, String> {
	match answers.get(key) {
		Some(Ok(frame)) => wire::decode(frame).map_err(|e| format!("malformed answer: {e}")),
		Some(Err(why)) => Err(why.clone()),
		None => Err("not asked".into()),
	}
}

/// Judges `work` at its endpoint with `k` samples drawn from `seed`.
pub async fn judge(work: &Work, k: u32, seed: Hash) -> Judgement {
	let started = Instant::now();
	let mut read = 0u64;
	let client = match connect(&work.endpoint).await {
		Ok(client) => client,
		Err(why) => {
			let finding = Finding::Unanswered { what: Frame::Definition, why };
			return Judgement::failed(finding, read, started.elapsed());
		},
	};
	let frame = counted(client.definition(work.instance).await, &mut read);
	let frame = match frame {
		Ok(frame) => frame,
		Err(why) => {
			let finding = Finding::Unanswered { what: Frame::Definition, why };
			return Judgement::failed(finding, read, started.elapsed());
		},
	};
	let kind = match work.kind {
		ServiceKind::Range => Kind::RangeDefinition,
		ServiceKind::Storage => Kind::StorageDefinition,
	};
	if !wire::matches_hash(&frame, kind, &work.definition) {
		let delivered = frame.get(wire::HEADER_LEN..).map(blake2_256);
		let finding = Finding::DefinitionMismatch { on_chain: work.definition, delivered };
		return Judgement::failed(finding, read, started.elapsed());
	}
	let judged = match work.kind {
		ServiceKind::Range => judge_range(&client, work, &frame, k, seed, &mut read).await,
		ServiceKind::Storage => judge_storage(&client, work, &frame, k, seed, &mut read).await,
	};
	match judged {
		Ok((verdict, cpu)) => Judgement::of(verdict, read, cpu, started.elapsed()),
		Err(finding) => Judgement::failed(finding, read, started.elapsed()),
	}
}

/// A frame that does not decode, or a definition the evaluation refuses, as a finding.
fn malformed<E: std::fmt::Display>(what: Frame) -> impl FnOnce(E) -> Finding {
	move |e| Finding::Malformed { what, why: e.to_string() }
}

/// Range compute: the result, the sampled leaves, and `range::evaluate`.
async fn judge_range(
	client: &WsClient,
	work: &Work,
	definition: &[u8],
	k: u32,
	seed: Hash,
	read: &mut u64,
) -> Result<(Verdict, Duration), Finding> {
	let definition: RangeDefinition =
		wire::decode(definition).map_err(malformed(Frame::Definition))?;
	let frame = counted(client.result(work.instance).await, read)
		.map_err(|why| Finding::Unanswered { what: Frame::Result, why })?;
	let delivered: RangeResult = wire::decode(&frame).map_err(malformed(Frame::Result))?;
	let leaf = |index| client.leaf(work.instance, index);
	let checked = spot_check_range(&definition, &delivered, &work.result, k, seed, leaf).await;
	let (verdict, cpu, answers_read) = checked.map_err(malformed(Frame::Definition))?;
	*read = read.saturating_add(answers_read);
	Ok((verdict, cpu))
}

/// Spot-checks `delivered`, a result of the range `definition` whose hash the chain holds as
/// `on_chain`: fetches the leaves `k` samples drawn from `seed` name (with `leaf`,
/// [`CONCURRENT_FETCHES`] at a time) and runs `range::evaluate` on them. A result that is not
/// the one on chain fails without a sample, so none is asked for then. Gives the verdict, the
/// evaluation's CPU time and the bytes of the answers; an error only for a definition the
/// evaluation refuses. The validator judges with it, and the consumer's `fetch` checks a
/// result with it.
pub async fn spot_check_range<F, Fut>(
	definition: &RangeDefinition,
	delivered: &RangeResult,
	on_chain: &Hash,
	k: u32,
	seed: Hash,
	leaf: F,
) -> Result<(Verdict, Duration, u64), range::RangeError>
where
	F: Fn(u64) -> Fut,
	Fut: Future<Output = Result<Bytes, ClientError>>,
{
	let values = definition.values()?;
	let samples = if delivered.result_hash() == *on_chain {
		sampling::sample_indices(range::SAMPLE_DOMAIN, seed, values, k)
	} else {
		Vec::new()
	};
	let mut read = 0;
	let answers = answers_read(fetch_all(&samples, leaf).await, &mut read);
	let (verdict, cpu) = cpu::measure(|| {
		range::evaluate(definition, delivered, on_chain, k, seed, |index| {
			answer::<_, LeafAnswer>(&answers, &index)
		})
	});
	Ok((verdict?, cpu, read))
}

/// Storage for a time: the challenges, their answers, and `storage::evaluate`.
async fn judge_storage(
	client: &WsClient,
	work: &Work,
	definition: &[u8],
	k: u32,
	seed: Hash,
	read: &mut u64,
) -> Result<(Verdict, Duration), Finding> {
	let definition: StorageDefinition =
		wire::decode(definition).map_err(malformed(Frame::Definition))?;
	let challenges =
		storage::challenges(&definition, seed, k).map_err(malformed(Frame::Definition))?;
	let frames: HashMap<Hash, Vec<u8>> = challenges
		.iter()
		.filter_map(|c| wire::encode(c).ok().map(|frame| (c.nonce, frame)))
		.collect();
	let nonces: Vec<Hash> = challenges.iter().map(|c| c.nonce).collect();
	let answers = fetch_all(&nonces, |nonce| {
		let frame = frames.get(&nonce).cloned().unwrap_or_default();
		client.challenge(work.instance, Bytes(frame))
	})
	.await;
	let answers = answers_read(answers, read);
	let (verdict, cpu) = cpu::measure(|| {
		storage::evaluate(&definition, k, seed, |challenge| {
			answer::<_, ChunkAnswer>(&answers, &challenge.nonce)
		})
	});
	let verdict = verdict.map_err(malformed(Frame::Definition))?;
	Ok((verdict, cpu))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::validator::test_endpoint::{Served, TestEndpoint};
	use gpow_market::{
		range::{compute, compute_cheating, target_one_in},
		storage::StoredBlob,
		Limits,
	};
	use std::{collections::HashSet, num::NonZeroU64};

	fn range_definition(salt: u8) -> RangeDefinition {
		let target = target_one_in(NonZeroU64::new(64).unwrap());
		RangeDefinition { salt: [salt; 32], start: 1_000, end: 5_096, target }
	}

	/// Serves a range, honest or cheating on `fraction` of it; gives the work to judge.
	fn serve_range(endpoint: &TestEndpoint, url: &str, instance: u64, fraction: f64) -> Work {
		let definition = range_definition(instance as u8);
		let limits = Limits::default();
		let work = if fraction == 0.0 {
			compute(&definition, &limits).unwrap()
		} else {
			compute_cheating(&definition, &limits, fraction, [3; 32]).unwrap()
		};
		let result = work.result().result_hash();
		let hash = definition.definition_hash();
		endpoint.serve(instance, Served::Range(definition, work));
		Work { instance, kind: ServiceKind::Range, endpoint: url.into(), definition: hash, result }
	}

	/// Serves a stored blob, with `fraction` of its chunks dropped.
	fn serve_storage(endpoint: &TestEndpoint, url: &str, instance: u64, fraction: f64) -> Work {
		let blob: Vec<u8> = (0..64 * 100).map(|i| (i % 251) as u8).collect();
		let mut stored = StoredBlob::new(&blob, 64, &Limits::default()).unwrap();
		let definition = stored.definition(50).unwrap();
		stored.drop_fraction(fraction, [4; 32]).unwrap();
		let hash = definition.definition_hash();
		endpoint.serve(instance, Served::Storage(definition, stored));
		let kind = ServiceKind::Storage;
		Work { instance, kind, endpoint: url.into(), definition: hash, result: hash }
	}

	fn names(judgement: &Judgement) -> HashSet<&'static str> {
		judgement.findings.iter().map(Finding::name).collect()
	}

	#[tokio::test]
	async fn an_honest_provider_passes_and_a_cheater_fails_by_name() {
		let endpoint = TestEndpoint::default();
		let (url, server) = endpoint.start().await;

		let honest = serve_range(&endpoint, &url, 1, 0.0);
		let judged = judge(&honest, 20, [1; 32]).await;
		assert!(judged.pass, "{:?}", judged.findings);
		assert_eq!(judged.samples.len(), 20);
		assert!(judged.answer_bytes > 0 && judged.bytes_read > judged.answer_bytes);
		// The same seed gives the same samples, as anyone re-checking finds.
		assert_eq!(judge(&honest, 20, [1; 32]).await.samples, judged.samples);

		let cheater = serve_range(&endpoint, &url, 2, 0.5);
		let judged = judge(&cheater, 20, [1; 32]).await;
		assert!(!judged.pass);
		// Half the values skipped: 20 samples miss them all with chance 2^-20.
		assert!(names(&judged).contains("WrongHash"), "{:?}", judged.findings);

		let stored = serve_storage(&endpoint, &url, 3, 0.0);
		let judged = judge(&stored, 20, [2; 32]).await;
		assert!(judged.pass, "{:?}", judged.findings);
		let dropped = serve_storage(&endpoint, &url, 4, 0.5);
		let judged = judge(&dropped, 20, [2; 32]).await;
		assert!(!judged.pass);
		assert_eq!(names(&judged), HashSet::from(["Unanswered"]));
		assert!(judged.findings[0].to_string().contains("Gone"), "{}", judged.findings[0]);

		server.stop().unwrap();
	}

	#[tokio::test]
	async fn bad_frames_are_named() {
		let endpoint = TestEndpoint::default();
		let (url, server) = endpoint.start().await;
		let mut work = serve_range(&endpoint, &url, 1, 0.0);

		// A result on chain that is not the one delivered: no sample is asked.
		let mut other = work.clone();
		other.result = [9; 32];
		let judged = judge(&other, 20, [1; 32]).await;
		assert_eq!(names(&judged), HashSet::from(["CommitmentMismatch"]));
		assert_eq!(judged.answer_bytes, 0);

		// A definition that is not the one on chain.
		work.definition = [8; 32];
		let judged = judge(&work, 20, [1; 32]).await;
		assert_eq!(names(&judged), HashSet::from(["DefinitionMismatch"]));

		// An instance the endpoint does not know.
		work.instance = 77;
		let judged = judge(&work, 20, [1; 32]).await;
		assert_eq!(names(&judged), HashSet::from(["Unanswered"]));
		assert!(judged.findings[0].to_string().contains("UnknownInstance"));
		server.stop().unwrap();
	}

	#[tokio::test]
	async fn an_unreachable_endpoint_fails_as_unanswered() {
		let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
		let work = Work {
			instance: 1,
			kind: ServiceKind::Range,
			endpoint: format!("ws://127.0.0.1:{port}"),
			definition: [1; 32],
			result: [2; 32],
		};
		let judged = judge(&work, 20, [1; 32]).await;
		assert!(!judged.pass);
		assert_eq!(names(&judged), HashSet::from(["Unanswered"]));
		assert!(judged.samples.is_empty());
		let bad_url = Work { endpoint: "(no offer on chain)".into(), ..work };
		assert_eq!(names(&judge(&bad_url, 20, [1; 32]).await), HashSet::from(["Unanswered"]));
	}
}
