// How long a block takes to execute, beside the time its weight claims. The block is executed
// again through the runtime's `Core_execute_block` at its parent (`state_call`), as an import
// does: the same Wasm executor, state and checks (state root, extrinsics root). The seal is a
// post-runtime digest (PoW's and Aura's alike) that the import takes off before the runtime
// sees the header, so it is taken off here too. The time is the median of `runs` calls measured
// from this process, so it includes the RPC round trip and the block's transfer, a few ms.

import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

import { rpcHttp } from './node.mjs';

/** Picoseconds of ref time per millisecond. */
const PS_PER_MS = 1e9;

/**
 * The weight a block claims (`System.BlockWeight`, all dispatch classes, in ms of ref time) and
 * the median time to execute it again (ms), with its extrinsic count. `api` decodes; the raw
 * block and the calls go over HTTP JSON-RPC on `rpcPort`.
 */
export async function blockExecution(api, rpcPort, hash, runs = 3) {
  // The raw extrinsics, not decoded ones: @polkadot/api 16 re-encodes general (v5) extrinsics
  // wrongly, and the block must be the very bytes the chain holds.
  const { block: raw } = await rpcHttp(rpcPort, 'chain_getBlock', [hash]);
  const header = api.createType('Header', raw.header);
  const logs = header.digest.logs.filter((log) => !log.isSeal);
  const unsealed = api.createType('Header', {
    parentHash: header.parentHash,
    number: header.number,
    stateRoot: header.stateRoot,
    extrinsicsRoot: header.extrinsicsRoot,
    digest: { logs },
  });
  const extrinsics = raw.extrinsics.map((x) => hexToU8a(x));
  const encoded = u8aConcat(unsealed.toU8a(), compactToU8a(extrinsics.length), ...extrinsics);
  const hex = u8aToHex(encoded);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await rpcHttp(rpcPort, 'state_call', ['Core_execute_block', hex, raw.header.parentHash]);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const weight = await api.query.system.blockWeight.at(hash);
  const refTime = ['normal', 'operational', 'mandatory'].reduce(
    (sum, c) => sum + weight[c].refTime.toBigInt(),
    0n,
  );
  return {
    number: header.number.toNumber(),
    extrinsics: extrinsics.length,
    bytes: encoded.length,
    weightMs: Number(refTime) / PS_PER_MS,
    executeMs: times[Math.floor(times.length / 2)],
  };
}
