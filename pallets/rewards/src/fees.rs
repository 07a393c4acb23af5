//! Transaction fees to the block author.

use crate::{Author, Config};
use frame_support::traits::{
	fungible::{Balanced, Credit},
	Imbalance, OnUnbalanced,
};

/// A fee handler for `pallet_transaction_payment::FungibleAdapter` that pays the fees and tips of
/// a block's transactions to the block's author.
///
/// In a block without a valid author digest the fees are burned: dropping a credit reduces the
/// total issuance by its amount.
pub struct FeesToAuthor<T>(core::marker::PhantomData<T>);

impl<T: Config> OnUnbalanced<Credit<T::AccountId, T::Currency>> for FeesToAuthor<T> {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = Credit<T::AccountId, T::Currency>>) {
		if let Some(mut fees) = fees_then_tips.next() {
			for tip in fees_then_tips {
				fees.subsume(tip);
			}
			Self::on_unbalanced(fees);
		}
	}

	fn on_nonzero_unbalanced(amount: Credit<T::AccountId, T::Currency>) {
		if let Some(author) = Author::<T>::get() {
			// `resolve` hands the credit back when the author's account cannot take it (it
			// would stay below the existential deposit); the credit is then dropped, i.e. burned.
			let _ = T::Currency::resolve(&author, amount);
		}
	}
}
