/**
 * A dispatch error in words. A pallet's error is looked up in the metadata (its name and doc
 * comment); the module-less ones (`BadOrigin`, `Token`, `Arithmetic`, ...) come from sp-runtime.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected to the chain that raised the error
 * @param {import('@polkadot/types/interfaces').DispatchError} dispatchError e.g. the `dispatchError` of a submission's result, or `ExtrinsicFailed`'s first field
 * @returns {DescribedError}
 */
export function describeDispatchError(api: import("@polkadot/api").ApiPromise, dispatchError: import("@polkadot/types/interfaces").DispatchError): DescribedError;
/**
 * A JSON-RPC error of a submission in words (the pool's refusal: `1010: Invalid Transaction:
 * Custom error: 12` becomes `the transaction is invalid: powAttest.AlreadyAttested: the prover
 * already attested this round`). Any other error's message is returned as is.
 *
 * @param {unknown} error what `signAndSend` / `author_submitExtrinsic` rejected with (an Error, or a JSON-RPC error object `{ code, message, data }`)
 * @returns {string}
 */
export function describeRpcError(error: unknown): string;
/**
 * The `InvalidTransaction::Custom` codes of the chain: 0-19 are pow-attest's (the index of the
 * `Error` variant an attestation would fail with, pallets/pow-attest "Refusal codes"), 64-71
 * work-payment's (`WorkRefusal`, primitives/work). The runtime's test `js_refusal_codes_match_the_runtime`
 * (runtime/tests/runtime.rs) checks this table against both.
 *
 * @type {Record<number, [string, string]>}
 */
export const REFUSAL_CODES: Record<number, [string, string]>;
/** The transaction pool's JSON-RPC error codes (sc-rpc-api `author` errors) in words. */
export const POOL_ERRORS: {
    1001: string;
    1002: string;
    1010: string;
    1011: string;
    1012: string;
    1013: string;
    1014: string;
    1015: string;
    1016: string;
    1017: string;
};
export type DescribedError = {
    /**
     * the pallet (`reputation`), or the kind of a module-less error (`token`)
     */
    section: string;
    /**
     * the error's name (`InsufficientRep`)
     */
    name: string;
    /**
     * what it means, in words
     */
    docs: string;
    /**
     * `section.name: docs`, to show a user
     */
    text: string;
};
