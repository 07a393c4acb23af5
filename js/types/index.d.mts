/**
 * Connects to a GPoW node and resolves once the API is ready, with the GPoW RPC definitions
 * (`api.rpc.ssk`, `.reputation`, `.services`, `.governance`, `.powAttest`).
 *
 * @param {string} url the node's WebSocket endpoint, e.g. `ws://127.0.0.1:9944`
 * @param {import('@polkadot/api/types').ApiOptions} [options] more options of `ApiPromise.create` (`rpc` and `types` join the GPoW ones; a `provider` given here is used instead of a new one for `url`)
 * @returns {Promise<ApiPromise>}
 */
export function connect(url: string, options?: import("@polkadot/api/types").ApiOptions): Promise<ApiPromise>;
export * from "./blocks.mjs";
export * from "./definitions.mjs";
export * from "./errors.mjs";
export * from "./forum.mjs";
export * from "./governance.mjs";
export * from "./pools.mjs";
export * from "./services.mjs";
export * from "./ssk-envelope.mjs";
export * from "./ssk.mjs";
export * from "./submit.mjs";
import { ApiPromise } from '@polkadot/api';
