//! [`WorkOrFee`]: the transaction extension that takes a work seal instead of a fee.

use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	pallet_prelude::{TransactionSource, Weight},
	traits::{Get, IsSubType, IsType},
};
use frame_system::{pallet_prelude::BlockNumberFor, CheckNonce};
use gpow_primitives_pow::{approximate_effort, meets_difficulty, work_hash, U256};
use pallet_transaction_payment::{ChargeTransactionPayment, OnChargeTransaction};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, One, PostDispatchInfoOf,
		Saturating, TransactionExtension, ValidateResult, Zero,
	},
	transaction_validity::{
		InvalidTransaction, TransactionLongevity, TransactionValidityError, ValidTransaction,
	},
	DispatchResult,
};

use crate::{
	pricing, Call, Config, Event, Pallet, ProofsByBlock, Terms, Usage, UsedProofs, WeightInfo,
	WorkRefusal,
};

/// The two extensions [`WorkOrFee`] wraps, in this order (the order of their data in a
/// transaction).
pub type Inner<T> = (CheckNonce<T>, ChargeTransactionPayment<T>);

/// The balance fees (and tips) are paid in.
pub type FeeBalanceOf<T> = <<T as pallet_transaction_payment::Config>::OnChargeTransaction as OnChargeTransaction<T>>::Balance;

/// The prefix of the pool tag a work-paid transaction provides for its pre-image.
pub const WORK_TAG_PREFIX: &[u8] = b"gpow/work";

/// `CheckNonce` and `ChargeTransactionPayment`, or a work seal instead of the fee.
///
/// A transaction whose call is not [`Call::with_work`] goes through the two wrapped extensions
/// exactly as without this wrapper: same nonce rule, same fee, same priority. A transaction
/// whose call is `with_work` is checked against its seal instead (see the crate docs for the
/// order of the checks), pays no fee, and may come from an account that holds nothing.
///
/// The wrapper adds no data: it encodes as the two extensions it wraps and lists them under
/// their own names in the metadata, so wallets and libraries that know `CheckNonce` and
/// `ChargeTransactionPayment` sign transactions for it unchanged.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct WorkOrFee<T: Config>(pub Inner<T>);

impl<T: Config> WorkOrFee<T>
where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	/// The extension for a transaction with nonce `nonce` and tip `tip` (0 for work-paid
	/// transactions).
	pub fn new(nonce: T::Nonce, tip: FeeBalanceOf<T>) -> Self {
		Self((CheckNonce::from(nonce), ChargeTransactionPayment::from(tip)))
	}

	/// The transaction's nonce.
	pub fn nonce(&self) -> T::Nonce {
		self.0 .0 .0
	}
}

impl<T: Config> core::fmt::Debug for WorkOrFee<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "WorkOrFee({:?}, {:?})", self.0 .0, self.0 .1)
	}
}

/// What [`WorkOrFee::validate`] hands to [`WorkOrFee::prepare`].
pub enum Val<T: Config>
where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	/// A fee-paying transaction: the wrapped extensions' values.
	Fee(<Inner<T> as TransactionExtension<<T as frame_system::Config>::RuntimeCall>>::Val),
	/// A work-paid transaction, checked.
	Work(WorkPaid<T>),
}

/// What [`WorkOrFee::prepare`] hands to the post-dispatch step.
pub enum Pre<T: Config>
where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	/// A fee-paying transaction: the wrapped extensions' values.
	Fee(<Inner<T> as TransactionExtension<<T as frame_system::Config>::RuntimeCall>>::Pre),
	/// A work-paid transaction, recorded.
	Work(WorkPaid<T>),
}

/// A checked work-paid transaction.
pub struct WorkPaid<T: Config> {
	who: T::AccountId,
	pre_image: [u8; 32],
	ref_time: u64,
	required: u128,
	achieved: U256,
}

impl<T: Config> WorkOrFee<T>
where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	/// Every check of a work-paid transaction, cheapest first; the validity it earns.
	fn validate_work(
		&self,
		who: &T::AccountId,
		seal: &crate::WorkSeal<BlockNumberFor<T>>,
		inner: &<T as Config>::RuntimeCall,
		info: &DispatchInfo,
		len: usize,
	) -> Result<(ValidTransaction, WorkPaid<T>), TransactionValidityError> {
		if len > T::MaxWorkTxLength::get() as usize {
			return Err(refuse(WorkRefusal::TooLong));
		}
		if !self.0 .1.tip().is_zero() {
			return Err(refuse(WorkRefusal::TipWithWork));
		}
		let terms = Terms::<T>::get();
		let encoded = inner.encode();
		if !terms.allows(Pallet::<T>::call_id(&encoded)) {
			return Err(refuse(WorkRefusal::CallNotAllowed));
		}
		let now = frame_system::Pallet::<T>::block_number();
		if seal.anchor >= now {
			return Err(refuse(WorkRefusal::AnchorInFuture));
		}
		let last = seal.anchor.saturating_add(T::AnchorWindow::get());
		let anchor_hash = frame_system::BlockHash::<T>::get(seal.anchor);
		if now > last || anchor_hash == Default::default() {
			return Err(refuse(WorkRefusal::AnchorStale));
		}
		let tx_nonce = self.nonce();
		let pre_image =
			Pallet::<T>::pre_image_of(seal.anchor, &anchor_hash, who, tx_nonce, &encoded);
		let required = Pallet::<T>::required_effort_of(inner, encoded.len(), &terms);
		// One hash and a multiplication decide (as for a block seal); the effort, for the
		// priority, comes from the hash's top bits.
		let work = work_hash(&pre_image, seal.nonce);
		if !meets_difficulty(&work, U256::from(required)) {
			return Err(refuse(WorkRefusal::InsufficientWork));
		}
		let achieved = approximate_effort(&work);
		if UsedProofs::<T>::contains_key(pre_image) {
			return Err(refuse(WorkRefusal::ProofUsed));
		}
		let ref_time = info.total_weight().ref_time();
		let usage = Usage::<T>::get();
		if usage.count >= T::MaxWorkPerBlock::get()
			|| usage.ref_time.saturating_add(ref_time) > Pallet::<T>::share_limit(&terms)
		{
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		// `CheckNonce`'s rule, without its demand that the account exists: the work pays for
		// the nonce's storage.
		let account_nonce = frame_system::Account::<T>::get(who).nonce;
		if tx_nonce < account_nonce {
			return Err(InvalidTransaction::Stale.into());
		}
		let requires = if tx_nonce > account_nonce {
			alloc::vec![(who, tx_nonce.saturating_sub(One::one())).encode()]
		} else {
			alloc::vec![]
		};
		let fee_priority =
			ChargeTransactionPayment::<T>::get_priority(info, len, Zero::zero(), Zero::zero());
		let validity = ValidTransaction {
			priority: pricing::priority(
				fee_priority,
				achieved,
				required,
				T::MaxPriorityRatio::get(),
			),
			requires,
			provides: alloc::vec![(who, tx_nonce).encode(), (WORK_TAG_PREFIX, pre_image).encode()],
			// Until the anchor is too old.
			longevity: last
				.saturating_sub(now)
				.saturating_add(One::one())
				.try_into()
				.unwrap_or(TransactionLongevity::MAX),
			propagate: true,
		};
		let paid = WorkPaid { who: who.clone(), pre_image, ref_time, required, achieved };
		Ok((validity, paid))
	}
}

impl<T: Config> TransactionExtension<<T as frame_system::Config>::RuntimeCall> for WorkOrFee<T>
where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "WorkOrFee";
	type Implicit =
		<Inner<T> as TransactionExtension<<T as frame_system::Config>::RuntimeCall>>::Implicit;
	type Val = Val<T>;
	type Pre = Pre<T>;

	fn implicit(&self) -> Result<Self::Implicit, TransactionValidityError> {
		self.0.implicit()
	}

	/// The wrapped extensions' entries: the wrapper is invisible to clients.
	fn metadata() -> alloc::vec::Vec<sp_runtime::traits::TransactionExtensionMetadata> {
		<Inner<T> as TransactionExtension<<T as frame_system::Config>::RuntimeCall>>::metadata()
	}

	fn weight(&self, call: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		if with_work::<T>(call).is_some() {
			<T as Config>::WeightInfo::work_seal()
		} else {
			self.0.weight(call)
		}
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
		self_implicit: Self::Implicit,
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		let Some((seal, inner)) = with_work::<T>(call) else {
			let (validity, val, origin) = self.0.validate(
				origin,
				call,
				info,
				len,
				self_implicit,
				inherited_implication,
				source,
			)?;
			return Ok((validity, Val::Fee(val), origin));
		};
		let Some(who) = origin.as_system_origin_signer() else {
			return Err(refuse(WorkRefusal::NotSigned));
		};
		let (validity, paid) = self.validate_work(who, seal, inner, info, len)?;
		Ok((validity, Val::Work(paid), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &<T as frame_system::Config>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		let paid = match val {
			Val::Fee(val) => return self.0.prepare(val, origin, call, info, len).map(Pre::Fee),
			Val::Work(paid) => paid,
		};
		// The only fallible step comes first: nothing is written if it fails.
		CheckNonce::<T>::prepare_nonce_for_account(&paid.who, self.nonce())?;
		let now = frame_system::Pallet::<T>::block_number();
		ProofsByBlock::<T>::try_mutate(now, |proofs| proofs.try_push(paid.pre_image))
			.map_err(|_| InvalidTransaction::ExhaustsResources)?;
		UsedProofs::<T>::insert(paid.pre_image, now);
		Usage::<T>::mutate(|usage| {
			usage.ref_time = usage.ref_time.saturating_add(paid.ref_time);
			usage.count = usage.count.saturating_add(1);
		});
		Ok(Pre::Work(paid))
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		post_info: &PostDispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		match pre {
			Pre::Fee(pre) => <Inner<T> as TransactionExtension<
				<T as frame_system::Config>::RuntimeCall,
			>>::post_dispatch_details(pre, info, post_info, len, result),
			Pre::Work(paid) => {
				paid_by_work::<T>(paid);
				Ok(Weight::zero())
			},
		}
	}

	/// The wrapped extensions' own post-dispatch (each refunds in turn, as in a tuple), so a
	/// fee-paying transaction is charged exactly as without the wrapper.
	fn post_dispatch(
		pre: Self::Pre,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		post_info: &mut PostDispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<(), TransactionValidityError> {
		match pre {
			Pre::Fee(pre) => <Inner<T> as TransactionExtension<
				<T as frame_system::Config>::RuntimeCall,
			>>::post_dispatch(pre, info, post_info, len, result),
			Pre::Work(paid) => {
				paid_by_work::<T>(paid);
				Ok(())
			},
		}
	}
}

/// The seal and inner call of `call` if it is [`Call::with_work`].
fn with_work<T: Config>(
	call: &<T as frame_system::Config>::RuntimeCall,
) -> Option<(&crate::WorkSeal<BlockNumberFor<T>>, &<T as Config>::RuntimeCall)> {
	match <T as Config>::RuntimeCall::from_ref(call).is_sub_type() {
		Some(Call::with_work { seal, call }) => Some((seal, call.as_ref())),
		_ => None,
	}
}

/// Records a work-paid transaction's payment as an event.
fn paid_by_work<T: Config>(paid: WorkPaid<T>) {
	Pallet::<T>::deposit_event(Event::PaidByWork {
		who: paid.who,
		required: paid.required,
		achieved: paid.achieved.try_into().unwrap_or(u128::MAX),
	});
}

/// The pool's form of a refusal: `InvalidTransaction::Custom(code)`.
pub fn refuse(refusal: WorkRefusal) -> TransactionValidityError {
	InvalidTransaction::Custom(refusal.code()).into()
}
