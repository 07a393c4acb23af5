use gpow_primitives_pow::{nonce_meets, Seal};
use primitive_types::{H256, U256};

use super::*;

/// A template source whose template the test sets and whose sealing succeeds when `imports`.
#[derive(Default)]
struct FakeSource {
	template: Mutex<Option<Template>>,
	imports: Mutex<bool>,
	sealed: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl TemplateSource for Arc<FakeSource> {
	fn template(&self) -> Option<Template> {
		self.template.lock().clone()
	}

	fn seal(&self, seal: Vec<u8>) -> BoxFuture<'static, bool> {
		self.sealed.lock().push(seal);
		let imports = *self.imports.lock();
		Box::pin(async move { imports })
	}
}

fn template(seed: u8) -> Template {
	Template {
		pre_hash: H256::repeat_byte(seed),
		parent_hash: H256::zero(),
		number: 1,
		difficulty: U256::from(4096),
	}
}

fn service() -> (Arc<FakeSource>, Arc<WorkService>) {
	let source = Arc::new(FakeSource::default());
	*source.template.lock() = Some(template(1));
	let service = WorkService::new(Box::new(source.clone()), Limits::default());
	(source, service)
}

fn block_nonce(job: &Job) -> u64 {
	let pre = job.pre_hash.to_fixed_bytes();
	(job.nonce_start..).find(|n| nonce_meets(&pre, *n, job.difficulty)).unwrap()
}

#[tokio::test]
async fn a_block_is_sealed_through_the_source() {
	let (source, service) = service();
	*source.imports.lock() = true;
	let job = service.get_work("w").unwrap();
	let nonce = block_nonce(&job);
	let answer = service.submit(job.job_id, &nonce.to_string(), "w").await.unwrap();
	assert_eq!(answer, Submitted { status: Status::Block, job_id: job.job_id, number: 1 });
	let seal = Seal { difficulty: job.difficulty, nonce }.encode();
	assert_eq!(*source.sealed.lock(), vec![seal]);
	let w = &service.shares()[0];
	assert_eq!((w.shares, w.blocks), (1, 1));
}

#[tokio::test]
async fn a_block_the_node_could_not_seal_is_stale() {
	let (source, service) = service();
	let job = service.get_work("w").unwrap();
	let refusal = service
		.submit(job.job_id, &block_nonce(&job).to_string(), "w")
		.await
		.unwrap_err();
	assert_eq!(refusal.kind, ErrorKind::Stale);
	assert_eq!(source.sealed.lock().len(), 1);
	assert_eq!(service.shares()[0].stale, 1);
}

#[tokio::test]
async fn a_new_template_is_a_new_job_and_signalled() {
	let (source, service) = service();
	let mut jobs = service.new_jobs();
	let first = service.get_work("w").unwrap();
	assert!(jobs.has_changed().unwrap());
	jobs.borrow_and_update();
	service.refresh();
	assert!(!jobs.has_changed().unwrap(), "the same template is no new job");
	*source.template.lock() = Some(template(2));
	let second = service.get_work("w").unwrap();
	assert_eq!(second.job_id, first.job_id + 1);
	assert!(jobs.has_changed().unwrap());
	let refusal = service.submit(first.job_id, "1", "w").await.unwrap_err();
	assert_eq!(refusal.kind, ErrorKind::Stale);
	*source.template.lock() = None;
	assert_eq!(service.get_work("w").unwrap_err().kind, ErrorKind::NoWork);
}
