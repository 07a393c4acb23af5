// The connection to a node: one WebSocket (reconnecting every 2.5 s after it drops), the best and
// finalized heads straight from the JSON-RPC subscriptions (shown before the API has loaded the
// metadata: the first meaningful paint), and an ApiPromise with the GPoW definitions of @gpow/api.

import { WsProvider } from '@polkadot/api';
import { connect } from '@gpow/api';

/** How long to wait between reconnection attempts. */
const RECONNECT_MS = 2_500;

/**
 * Emits `state` (detail: 'connecting' | 'connected' | 'disconnected'), `best` and `finalized`
 * (detail: the block number), `ready` (detail: the ApiPromise) and `failed` (detail: a message).
 */
export class Connection extends EventTarget {
  /** @param {string} url the node's WebSocket endpoint */
  constructor(url) {
    super();
    this.url = url;
    this.state = 'connecting';
    this.api = null;
    this.best = null;
    this.finalized = null;
    this.provider = new WsProvider(url, RECONNECT_MS);
    this.provider.on('connected', () => this.#setState('connected'));
    this.provider.on('disconnected', () => this.#setState('disconnected'));
    this.provider.on('error', () => this.#setState(this.provider.isConnected ? 'connected' : 'disconnected'));
    this.#subscribeHeads();
    connect(url, { provider: this.provider, noInitWarn: true })
      .then((api) => {
        if (this.closed) return api.disconnect();
        this.api = api;
        this.#emit('ready', api);
      })
      .catch((e) => this.#emit('failed', e.message));
  }

  async #subscribeHeads() {
    await this.provider.isReady;
    const follow = (type, method, event) =>
      // The provider subscribes again by itself after a reconnection.
      this.provider.subscribe(type, method, [], (error, header) => {
        if (error || this.closed) return;
        const number = parseInt(header.number, 16);
        this[event] = number;
        this.#emit(event, number);
      });
    await Promise.all([
      follow('chain_newHead', 'chain_subscribeNewHeads', 'best'),
      follow('chain_finalizedHead', 'chain_subscribeFinalizedHeads', 'finalized'),
    ]).catch((e) => this.#emit('failed', e.message));
  }

  #setState(state) {
    if (this.closed || state === this.state) return;
    this.state = state;
    this.#emit('state', state);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Disconnects for good (before connecting elsewhere). */
  close() {
    this.closed = true;
    (this.api ?? this.provider).disconnect().catch(() => {});
  }
}
