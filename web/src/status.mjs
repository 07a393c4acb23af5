// The chain status bar: the connection state (with a clear "disconnected" while the node is
// away), the best and finalized block as the node announces them, the difficulty and the block
// time (target, and observed over the last blocks).

import { h, replace } from './dom.mjs';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

const STATE_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Disconnected — reconnecting…',
};

/** The status bar's elements, made once; `bind(connection)` follows a connection. */
export function statusBar() {
  const state = h('span', { id: 'conn-state', class: 'conn', role: 'status', 'aria-live': 'polite' });
  const best = h('span', { id: 'best-block' }, '…');
  const finalized = h('span', { id: 'finalized-block' }, '…');
  const chain = h('span', { id: 'chain-name' }, '…');
  const difficulty = h('span', { id: 'difficulty' }, '…');
  const blockTime = h('span', { id: 'block-time' }, '…');
  const item = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
  const el = h(
    'dl',
    { class: 'chain-status' },
    item('Node', state),
    item('Chain', chain),
    item('Best block', ['#', best]),
    item('Finalized', ['#', finalized]),
    item('Difficulty', difficulty),
    item('Block time', blockTime),
  );

  function setState(s) {
    state.dataset.state = s;
    replace(state, STATE_TEXT[s] ?? s);
  }

  /** Follows `conn` (a Connection); returns nothing, the old connection's events stop with it. */
  function bind(conn) {
    setState(conn.state);
    for (const e of [best, finalized, chain, difficulty, blockTime]) replace(e, '…');
    conn.addEventListener('state', (e) => setState(e.detail));
    conn.addEventListener('best', (e) => replace(best, e.detail.toLocaleString('en-US')));
    conn.addEventListener('finalized', (e) => replace(finalized, e.detail.toLocaleString('en-US')));
    conn.addEventListener('failed', (e) => replace(chain, `error: ${e.detail}`));
    conn.addEventListener('ready', async (e) => {
      const api = e.detail;
      const [name, type] = await Promise.all([api.rpc.system.chain(), api.rpc.system.chainType()]);
      replace(chain, `${name} (${type})`);
      const seen = [];
      await api.queryMulti([api.query.difficulty.currentDifficulty, api.query.difficulty.targetBlockTime, api.query.timestamp.now], ([d, target, now]) => {
        replace(difficulty, compact.format(Number(d.toBigInt())));
        if (conn.best !== null) seen.push([conn.best, now.toNumber()]);
        if (seen.length > 10) seen.shift();
        const [[n0, t0], [n1, t1]] = [seen[0] ?? [0, 0], seen.at(-1) ?? [0, 0]];
        const observed = n1 > n0 ? ` · last ${((t1 - t0) / (n1 - n0) / 1000).toFixed(1)} s` : '';
        replace(blockTime, `target ${(target.toNumber() / 1000).toFixed(1)} s${observed}`);
      });
    });
  }

  return { el, bind };
}
