// Chain helpers on top of @polkadot/api: submit and wait for inclusion, read balances and events
// at a given block.

/**
 * Signs and sends `tx` from `signer` and resolves once it is in a block (not finalized: GPoW only
 * finalizes at depth) with { blockHash, ... }; rejects on a refusal, Invalid/Dropped/Usurped or a
 * dispatch error (in words): the package's `submit`.
 */
export { submit as sendAndWaitInBlock } from '@gpow/api';

/** Free balance of `address` at block `hash` as a BigInt. */
export async function freeAt(api, address, hash) {
  const apiAt = await api.at(hash);
  return (await apiAt.query.system.account(address)).data.free.toBigInt();
}

/** Account nonce of `address` at block `hash` as a number. */
export async function nonceAt(api, address, hash) {
  const apiAt = await api.at(hash);
  return (await apiAt.query.system.account(address)).nonce.toNumber();
}

/** The events of block `hash`. */
export async function eventsAt(api, hash) {
  const apiAt = await api.at(hash);
  return apiAt.query.system.events();
}

/** A field of an event by name (falls back to its position). */
export function field(event, name, index) {
  const data = event.data;
  if (data[name] !== undefined) return data[name];
  return data[index];
}

/** Events of one extrinsic (by index in its block). */
export function extrinsicEvents(events, index) {
  return events.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index);
}

/** Sum of the actual fees (TransactionFeePaid.actualFee, which includes the tip) of a block. */
export function feesPaid(api, events) {
  let total = 0n;
  for (const { event } of events) {
    if (api.events.transactionPayment.TransactionFeePaid.is(event)) {
      total += field(event, 'actualFee', 1).toBigInt();
    }
  }
  return total;
}

/** Pretty list of event names, for messages. */
export function eventNames(events) {
  return events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
}
