// Governance by REP: the tracks and the proposals with the call each would enact, its pool and
// status. Voting is staking on the proposal's pool (the forum view's stake form).

import { h, table } from '../dom.mjs';
import { amount, short } from '../format.mjs';

/** "difficulty.setTargetBlockTime" for an inline call, else its hash. */
function callName(api, bounded) {
  if (!bounded.isInline) return `call ${short(bounded.value.hash ?? bounded.value)}`;
  const call = api.registry.createType('Call', bounded.asInline);
  return `${call.section}.${call.method}`;
}

/** "scheduled for #120", "enacted at #146 (ok)", "voting", ... */
function statusText(status) {
  if (status.isScheduled) return `scheduled for #${status.asScheduled.at.toNumber()}`;
  if (status.isEnacted) {
    const { at, succeeded } = status.asEnacted;
    return `enacted at #${at.toNumber()} (${succeeded.isTrue ? 'ok' : 'failed'})`;
  }
  return status.type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The view: no forms of its own (propose through the API, vote on the Forum page). */
export function governanceView(ctx) {
  const { api } = ctx;

  async function load() {
    const [tracks, proposals] = await Promise.all([api.query.governance.tracks.entries(), api.query.governance.proposals.entries()]);
    const trackList = tracks.map(([k, v]) => ({ id: k.args[0].toNumber(), t: v.unwrap() })).sort((a, b) => a.id - b.id);
    const names = new Map(trackList.map(({ id, t }) => [id, t.name.toUtf8()]));
    return [
      table('Tracks', ['Id', 'Name', 'Deposit', 'Pool fee', 'Enactment delay', 'Most active'], trackList, ({ id, t }) => [
        id,
        t.name.toUtf8(),
        amount(t.deposit),
        amount(t.poolFee),
        `${t.enactmentDelay.toNumber()} blocks`,
        t.maxActive.toNumber(),
      ]),
      table(
        'Proposals',
        ['Id', 'Track', 'Call', 'Proposer', 'Post', 'Pool', 'Status'],
        proposals.map(([k, v]) => ({ id: k.args[0].toNumber(), p: v.unwrap() })).sort((a, b) => b.id - a.id),
        ({ id, p }) => [
          id,
          names.get(p.track.toNumber()) ?? p.track.toNumber(),
          callName(api, p.call),
          short(p.proposer),
          `#${p.post.toNumber()}`,
          `#${p.pool.toNumber()}`,
          h('span', { class: `status status-${p.status.type.toLowerCase()}` }, statusText(p.status)),
        ],
      ),
      h('p', { class: 'hint' }, 'Vote by staking REP for or against a proposal\'s pool on the Forum page; settle it there once its window is over.'),
    ];
  }

  return { forms: [], load };
}
