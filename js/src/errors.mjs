// The chain's errors in words: a failed dispatch (from the metadata's doc comments) and a
// transaction the pool refused (from the JSON-RPC error, with the chain's own refusal codes).

/**
 * @typedef {object} DescribedError
 * @property {string} section the pallet (`reputation`), or the kind of a module-less error (`token`)
 * @property {string} name the error's name (`InsufficientRep`)
 * @property {string} docs what it means, in words
 * @property {string} text `section.name: docs`, to show a user
 */

/** The module-less `DispatchError` variants in words (sp-runtime's doc comments). */
const DISPATCH_ERRORS = {
  Other: 'Some error occurred.',
  CannotLookup: 'Failed to lookup some data.',
  BadOrigin: 'A bad origin: the call needs another signer (e.g. Root or a governance track).',
  ConsumerRemaining: 'At least one consumer is remaining so the account cannot be destroyed.',
  NoProviders: 'There are no providers so the account cannot be created.',
  TooManyConsumers: 'There are too many consumers so the account cannot be created.',
  Exhausted: 'Resources exhausted, e.g. attempt to read/write data which is too large to manipulate.',
  Corruption: 'The state is corrupt; this is generally not going to fix itself.',
  Unavailable: 'Some resource (e.g. a preimage) is unavailable right now. This might fix itself later.',
  RootNotAllowed: 'Root origin is not allowed.',
};

/** `DispatchError::Token` in words. */
const TOKEN_ERRORS = {
  FundsUnavailable: 'Funds are unavailable.',
  OnlyProvider: 'Some part of the balance gives the only provider reference to the account and thus cannot be (re)moved.',
  BelowMinimum: 'The account cannot be created: the amount is below the existential deposit.',
  CannotCreate: 'Account cannot be created.',
  UnknownAsset: 'The asset in question is unknown.',
  Frozen: 'Funds exist but are frozen.',
  Unsupported: 'Operation is not supported by the asset.',
  CannotCreateHold: 'Account cannot be created for recording amount on hold.',
  NotExpendable: 'Withdrawal would cause unwanted loss of account.',
  Blocked: 'Account cannot receive the assets.',
};

/** `DispatchError::Arithmetic` in words. */
const ARITHMETIC_ERRORS = {
  Underflow: 'An underflow would occur.',
  Overflow: 'An overflow would occur.',
  DivisionByZero: 'Division by zero.',
};

/** `DispatchError::Transactional` in words. */
const TRANSACTIONAL_ERRORS = {
  LimitReached: 'Too many transactional layers have been spawned.',
  NoLayer: 'A transactional layer was expected, but does not exist.',
};

/**
 * A dispatch error in words. A pallet's error is looked up in the metadata (its name and doc
 * comment); the module-less ones (`BadOrigin`, `Token`, `Arithmetic`, ...) come from sp-runtime.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected to the chain that raised the error
 * @param {import('@polkadot/types/interfaces').DispatchError} dispatchError e.g. the `dispatchError` of a submission's result, or `ExtrinsicFailed`'s first field
 * @returns {DescribedError}
 */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return described(section, name, docs.join(' ').trim() || 'no description in the metadata');
  }
  const kind = dispatchError.type;
  const nested = { Token: TOKEN_ERRORS, Arithmetic: ARITHMETIC_ERRORS, Transactional: TRANSACTIONAL_ERRORS }[kind];
  if (nested) {
    const name = /** @type {any} */ (dispatchError.value).type;
    return described(lowerFirst(kind), name, nested[name] ?? `${kind} error ${name}.`);
  }
  return described('dispatch', kind, DISPATCH_ERRORS[kind] ?? `${kind}.`);
}

/** @returns {DescribedError} */
function described(section, name, docs) {
  return { section, name, docs, text: `${section}.${name}: ${docs}` };
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * The `InvalidTransaction::Custom` codes of the chain: 0-19 are pow-attest's (the index of the
 * `Error` variant an attestation would fail with, pallets/pow-attest "Refusal codes"), 64-71
 * work-payment's (`WorkRefusal`, primitives/work). The runtime's test `js_refusal_codes_match_the_runtime`
 * (runtime/tests/runtime.rs) checks this table against both.
 *
 * @type {Record<number, [string, string]>}
 */
export const REFUSAL_CODES = {
  0: ['powAttest.StaleRound', 'the round is older than the current one minus the round window'],
  1: ['powAttest.FutureRound', 'the round is too far in the future'],
  2: ['powAttest.NoChallenges', 'the attestation carries no challenge'],
  3: ['powAttest.TooManyChallenges', 'the attestation carries more than the maximum of challenges'],
  4: ['powAttest.WrongChallengeRound', 'a challenge is for another round than the attestation'],
  5: ['powAttest.WrongAddressee', 'a challenge is addressed to another gate than the prover'],
  6: ['powAttest.ChallengesNotSorted', 'the challenges are not sorted strictly by issuer'],
  7: ['powAttest.SelfChallenge', 'a challenge is issued by the prover itself'],
  8: ['powAttest.UnregisteredProver', 'the prover is not a registered gate'],
  9: ['powAttest.UnregisteredIssuer', "a challenge's issuer is not a registered gate"],
  10: ['powAttest.BadSignature', "a challenge's signature is not its issuer's"],
  11: ['powAttest.InsufficientEffort', 'the work is below the effort per challenge times the challenges'],
  12: ['powAttest.AlreadyAttested', 'the prover already attested this round'],
  13: ['powAttest.RoundFull', 'the round already holds the maximum of attestations'],
  14: ['powAttest.PruningBacklog', 'too many rounds await pruning; retry later'],
  15: ['powAttest.Overflow', 'an arithmetic overflow'],
  16: ['powAttest.GateAlreadyRegistered', 'the gate identity is already registered'],
  17: ['powAttest.BadRegistrationSignature', "the registration signature is not the gate key's"],
  18: ['powAttest.UnknownGate', 'the gate identity is not registered'],
  19: ['powAttest.NotGateOwner', 'the caller does not own the gate'],
  64: ['workPayment.TooLong', 'the work-paid transaction is longer than the runtime allows'],
  65: ['workPayment.CallNotAllowed', 'the call may not be paid by work'],
  66: ['workPayment.TipWithWork', 'a work-paid transaction may not offer a tip'],
  67: ['workPayment.AnchorInFuture', 'the work anchor is not below the block the transaction goes into'],
  68: ['workPayment.AnchorStale', 'the work anchor is too old (or its block hash is gone)'],
  69: ['workPayment.InsufficientWork', 'the work is below the required effort'],
  70: ['workPayment.ProofUsed', 'this proof of work was already used'],
  71: ['workPayment.NotSigned', 'a work-paid call must be signed'],
};

/** The transaction pool's JSON-RPC error codes (sc-rpc-api `author` errors) in words. */
export const POOL_ERRORS = {
  1001: 'the node could not decode the transaction',
  1002: 'the transaction failed verification',
  1010: 'the transaction is invalid',
  1011: 'the transaction validity is unknown',
  1012: 'the transaction is temporarily banned; retry later',
  1013: 'the transaction is already in the pool',
  1014: 'a transaction with the same nonce and a higher or equal priority is in the pool: priority too low',
  1015: 'the transaction has a dependency cycle',
  1016: 'the pool is full and dropped the transaction immediately; retry later',
  1017: 'the transaction is unactionable',
};

/**
 * The `InvalidTransaction` reasons the node names, in words a user can act on.
 *
 * @type {Array<[RegExp, string]>}
 */
const INVALID_REASONS = [
  [/Inability to pay some fees/, 'the account cannot pay the fee (balance too low)'],
  [/Transaction is outdated/, 'the nonce was already used (outdated transaction)'],
  [/Transaction will be valid in the future/, 'the nonce is ahead of the account (future transaction)'],
  [/Transaction has a bad signature/, 'the signature is not valid'],
  [/Transaction has an ancient birth block/, 'the transaction has expired (ancient birth block)'],
  [/Transaction would exhaust the block limits/, 'the transaction does not fit in a block'],
  [/Transaction call is not expected/, 'the call is not allowed this way'],
  [/Transaction dispatch is mandatory/, 'a mandatory dispatch may not be sent'],
  [/bad mandatory/i, 'a bad mandatory dispatch'],
  [/Invalid signing address/, 'the signing address is invalid'],
  [/metadata hash/i, 'the metadata hash does not match the runtime'],
];

/**
 * A JSON-RPC error of a submission in words (the pool's refusal: `1010: Invalid Transaction:
 * Custom error: 12` becomes `the transaction is invalid: powAttest.AlreadyAttested: the prover
 * already attested this round`). Any other error's message is returned as is.
 *
 * @param {unknown} error what `signAndSend` / `author_submitExtrinsic` rejected with (an Error, or a JSON-RPC error object `{ code, message, data }`)
 * @returns {string}
 */
export function describeRpcError(error) {
  const message = String(/** @type {any} */ (error)?.message ?? error);
  const rpcCode = /** @type {any} */ (error)?.code;
  const match = /^(\d{4}): (.*)$/s.exec(message);
  const code = typeof rpcCode === 'number' ? rpcCode : match ? Number(match[1]) : undefined;
  const detail = match ? match[2] : message;
  const pool = code === undefined ? undefined : POOL_ERRORS[code];
  if (!pool) return message;
  const custom = /Custom error: (\d+)/.exec(detail);
  if (custom) {
    const refusal = REFUSAL_CODES[Number(custom[1])];
    return refusal ? `${pool}: ${refusal[0]}: ${refusal[1]}` : `${pool}: custom refusal ${custom[1]}`;
  }
  const reason = INVALID_REASONS.find(([re]) => re.test(detail));
  if (reason) return `${pool}: ${reason[1]}`;
  return code === 1010 || code === 1011 ? `${pool}: ${detail}` : pool;
}
