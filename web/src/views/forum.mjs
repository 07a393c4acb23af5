// The forum and its validation pools: the chosen account's REP, posts with their citations and
// value, pools with their stakes and state; forms to post, open a pool and stake; settle and
// claim buttons where they apply.

import { blake2AsHex } from '@polkadot/util-crypto';

import { actionForm, run } from '../actions.mjs';
import { field, h, table } from '../dom.mjs';
import { amount, count, parseAmount, parseCount, perbill, rep, short } from '../format.mjs';

const BILLION = 1_000_000_000n;

/**
 * "3: 25, incinerator: 5" -> [[{ Post: 3 }, 250000000], ['Incinerator', 50000000]]: citations
 * as targets and signed weights in percent, turned into parts per billion.
 */
function parseCitations(text) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const m = item.match(/^(\d+|incinerator)\s*:\s*(-?\d+(?:\.\d+)?)\s*%?$/i);
      if (!m) throw new Error(`The citation "${item}" is not "post id: weight %" (e.g. "3: 25").`);
      const target = /^\d+$/.test(m[1]) ? { Post: Number(m[1]) } : 'Incinerator';
      return [target, Math.round(Number(m[2]) * 10_000_000)];
    });
}

function citationText(c) {
  const target = c.target.isPost ? `#${c.target.asPost.toNumber()}` : 'Incinerator';
  return `${target} ${c.negative.isTrue ? '−' : ''}${perbill(c.weight)}`;
}

/** The view: forms made once, data read again on every block. */
export function forumView(ctx) {
  const { api } = ctx;

  const postForm = actionForm(ctx, {
    id: 'post-form',
    title: 'Write a post',
    submit: 'Post',
    fields: [
      field('Content', h('textarea', { name: 'content', rows: 3, required: true }), 'only its hash goes on chain; you are its sole author'),
      field('Citations', h('input', { name: 'citations', placeholder: '3: 25, incinerator: 5' }), 'post id: weight %, comma separated (optional)'),
    ],
    makeTx: (f) => {
      const me = ctx.me();
      return api.tx.reputation.addPost([[me, BILLION]], blake2AsHex(f.content.value), parseCitations(f.citations.value));
    },
  });

  const poolForm = actionForm(ctx, {
    id: 'pool-form',
    title: 'Open a validation pool',
    submit: 'Open pool',
    fields: [
      field('Post', h('input', { name: 'post', inputmode: 'numeric', required: true })),
      field('Parameter set', h('input', { name: 'paramSet', value: 'default', required: true })),
      field('Panel size', h('input', { name: 'panel', inputmode: 'numeric', value: '0', required: true }), '0: every REP holder may vote'),
      field('Fee', h('input', { name: 'fee', inputmode: 'decimal', value: '1', required: true }), 'GPOW, shared among REP holders'),
    ],
    makeTx: (f) =>
      api.tx.reputation.initiatePool(
        parseCount(f.post.value, 'post'),
        f.paramSet.value,
        parseCount(f.panel.value, 'panel size'),
        parseAmount(f.fee.value, 'fee'),
      ),
  });

  const stakeForm = actionForm(ctx, {
    id: 'stake-form',
    title: 'Stake on a pool',
    submit: 'Stake',
    fields: [
      field('Pool', h('input', { name: 'pool', inputmode: 'numeric', required: true })),
      field('Side', h('select', { name: 'side' }, h('option', { value: 'For' }, 'For the post'), h('option', { value: 'Against' }, 'Against the post'))),
      field('Amount', h('input', { name: 'amount', inputmode: 'decimal', required: true }), 'REP'),
    ],
    makeTx: (f) => api.tx.reputation.stake(parseCount(f.pool.value, 'pool'), f.side.value, parseAmount(f.amount.value, 'amount')),
  });

  async function load() {
    const me = ctx.me();
    const [posts, pools, mine] = await Promise.all([
      api.query.reputation.posts.entries(),
      api.query.reputation.pools.entries(),
      me ? api.query.reputation.stakes.entries() : [],
    ]);
    const myStakes = new Map(
      mine.filter(([key]) => key.args[1].toString() === me).map(([key, s]) => [key.args[0].toNumber(), s.unwrap()]),
    );
    const best = ctx.best();
    return [
      me ? await repCard(me) : null,
      table(
        'Posts',
        ['Id', 'Poster', 'Authors', 'Citations', 'Value', 'Cited by', 'Pools'],
        posts.map(([k, v]) => ({ id: k.args[0].toNumber(), p: v.unwrap() })).sort((a, b) => b.id - a.id),
        ({ id, p }) => [
          id,
          short(p.poster),
          p.authors.map(([a, w]) => `${short(a)} ${perbill(w)}`).join(', '),
          p.citations.map(citationText).join(', ') || '—',
          rep(p.value),
          p.citedBy.toNumber(),
          p.pools.toNumber(),
        ],
      ),
      table(
        'Pools',
        ['Id', 'Post', 'State', 'For', 'Against', 'Voters', 'Ends', 'My stake', ''],
        pools.map(([k, v]) => ({ id: k.args[0].toNumber(), p: v.unwrap() })).sort((a, b) => b.id - a.id),
        ({ id, p }) => poolRow(id, p, myStakes.get(id), best),
      ),
    ];
  }

  async function repCard(me) {
    const r = await api.rpc.reputation.rep(me);
    const claimFees = h('button', { class: 'small', onclick: () => run(ctx, ctx.notice, 'Claim fees', () => api.tx.reputation.claimFees()) }, 'Claim fees');
    return h(
      'p',
      { class: 'rep-card' },
      `My REP: ${rep(r.free)} free, ${rep(r.staked)} staked, ${rep(r.bonded)} bonded; fees to claim: ${amount(r.claimableFees)} `,
      r.claimableFees.toBigInt() > 0n ? claimFees : null,
    );
  }

  function poolRow(id, p, stake, best) {
    const settled = p.state.isSettled;
    const state = settled ? `settled: ${p.state.asSettled.verdict.type}` : best !== null && best >= p.endsAt.toNumber() ? 'open, window over' : 'open';
    let action = '';
    if (!settled) {
      action = h('button', { class: 'small', onclick: () => run(ctx, ctx.notice, `Settle pool ${id}`, () => api.tx.reputation.settle(id)) }, 'Settle');
    } else if (stake) {
      action = h('button', { class: 'small', onclick: () => run(ctx, ctx.notice, `Claim from pool ${id}`, () => api.tx.reputation.claim(id)) }, 'Claim');
    }
    return [
      id,
      `#${p.post.toNumber()}`,
      state,
      rep(p.stakeFor),
      rep(p.stakeAgainst),
      count(p.voters),
      `#${p.endsAt.toNumber()}`,
      stake ? `${rep(stake.amount)} ${stake.side.type.toLowerCase()}` : '—',
      action,
    ];
  }

  return { forms: [postForm, poolForm, stakeForm], load };
}
