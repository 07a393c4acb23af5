//! Signing a call natively, outside the runtime.
//!
//! A signature covers the call, the transaction extensions' explicit values (nonce, tip, era,
//! metadata-hash mode) and their *implicit* values, which the runtime computes from its state:
//! the spec and transaction versions, the genesis hash (twice: `CheckGenesis`, and `CheckEra`
//! of an immortal transaction) and, in mode 0 of `CheckMetadataHash`, no metadata hash.
//! `SignedPayload::new` asks the extensions for them and so needs the runtime's storage (it
//! panics outside externalities); [`signed_extrinsic`] fills them in from what the node
//! reported instead.

use codec::Encode;
use gpow_runtime::{
	immortal_tx_extension, AccountId, Hash, Nonce, RuntimeCall, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};
use sp_core::{sr25519, Pair};
use sp_runtime::{traits::TransactionExtension, MultiAddress, MultiSignature};

use crate::rpc::RuntimeVersion;

/// The extensions' implicit values.
type Implicit = <TxExtension as TransactionExtension<RuntimeCall>>::Implicit;

/// The implicit values of an immortal transaction on the chain with `genesis` running
/// `version`, in mode 0 of `CheckMetadataHash`.
fn implicit(genesis: Hash, version: &RuntimeVersion) -> Implicit {
	(
		(),                          // AuthorizeCall
		(),                          // CheckNonZeroSender
		version.spec_version,        // CheckSpecVersion
		version.transaction_version, // CheckTxVersion
		genesis,                     // CheckGenesis
		genesis,                     // CheckEra: the birth block of an immortal transaction
		(),                          // CheckWeight
		((), ()),                    // WorkOrFee: CheckNonce, ChargeTransactionPayment
		None,                        // CheckMetadataHash, mode 0
		(),                          // WeightReclaim
	)
}

/// `call` signed by `signer` as an immortal transaction with `nonce` and no tip, for the chain
/// with `genesis` running `version`.
pub fn signed_extrinsic(
	signer: &sr25519::Pair,
	call: RuntimeCall,
	nonce: Nonce,
	genesis: Hash,
	version: &RuntimeVersion,
) -> UncheckedExtrinsic {
	let payload =
		SignedPayload::from_raw(call, immortal_tx_extension(nonce, 0), implicit(genesis, version));
	// Payloads over 256 bytes are signed by their blake2-256 hash; `using_encoded` does that.
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let (call, extension, _) = payload.deconstruct();
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(AccountId::from(signer.public())),
		MultiSignature::from(signature),
		extension,
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;
	use gpow_runtime::Runtime;
	use sp_runtime::{generic::Preamble, traits::Verify};

	fn remark() -> RuntimeCall {
		RuntimeCall::System(frame_system::Call::remark { remark: b"gpow".to_vec() })
	}

	#[test]
	fn the_implicit_values_are_those_the_runtime_computes() {
		let genesis = Hash::repeat_byte(7);
		let ours = SignedPayload::from_raw(
			remark(),
			immortal_tx_extension(5, 0),
			implicit(genesis, &RuntimeVersion::native()),
		)
		.encode();
		let runtimes = sp_io::TestExternalities::default().execute_with(|| {
			frame_system::BlockHash::<Runtime>::insert(0, genesis);
			SignedPayload::new(remark(), immortal_tx_extension(5, 0)).map(|p| p.encode())
		});
		assert_eq!(Ok(ours), runtimes);
	}

	#[test]
	fn the_extrinsic_carries_the_signers_signature_of_the_payload() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let (genesis, version) = (Hash::repeat_byte(1), RuntimeVersion::native());
		let encoded = signed_extrinsic(&alice, remark(), 9, genesis, &version).encode();
		let xt = UncheckedExtrinsic::decode(&mut &encoded[..]).unwrap();
		let Preamble::Signed(address, signature, extension) = xt.preamble else {
			panic!("not a signed extrinsic: {:?}", xt.preamble)
		};
		let who = AccountId::from(alice.public());
		assert_eq!(address, MultiAddress::Id(who.clone()));
		assert_eq!(extension.encode(), immortal_tx_extension(9, 0).encode());
		let payload = SignedPayload::from_raw(xt.function, extension, implicit(genesis, &version));
		assert!(payload.using_encoded(|bytes| signature.verify(bytes, &who)));
		// Another chain's genesis gives another payload: the signature does not cover it.
		let other = SignedPayload::from_raw(
			remark(),
			immortal_tx_extension(9, 0),
			implicit(Hash::repeat_byte(2), &version),
		);
		assert!(!other.using_encoded(|bytes| signature.verify(bytes, &who)));
	}
}
