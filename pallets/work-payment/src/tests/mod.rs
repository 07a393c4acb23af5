//! Unit tests, by topic.

mod extension;
mod multiplier;
mod terms;

use crate::{mock::*, WorkRefusal};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

/// The pool's refusal for `refusal`.
fn refused(refusal: WorkRefusal) -> TransactionValidityError {
	InvalidTransaction::Custom(refusal.code()).into()
}

/// Sets the terms as Root would.
fn set_terms(terms: crate::TermsOf<Test>) {
	WorkPayment::set_terms(frame_system::RawOrigin::Root.into(), terms).unwrap();
}
