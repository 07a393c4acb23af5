// The service market: service types, their offers (free capacity, rate, stake), a form to offer a
// type, a form to request an instance, and the instances the chosen account takes part in.

import { blake2AsHex } from '@polkadot/util-crypto';

import { actionForm, run } from '../actions.mjs';
import { field, h, table } from '../dom.mjs';
import { amount, count, parseAmount, parseCount, perbill, rep, short } from '../format.mjs';

/** Fills the service-type picker `select` with `types` (keeping the choice). */
function syncTypes(select, types) {
  const wanted = types.map(({ id, name }) => `${id}:${name}`).join('|');
  if (select.dataset.types === wanted) return;
  const chosen = select.value;
  select.replaceChildren(...types.map(({ id, name }) => h('option', { value: id }, `${id} · ${name}`)));
  if (types.some(({ id }) => String(id) === chosen)) select.value = chosen;
  select.dataset.types = wanted;
}

/** The service types as `{ id, name, terms, offers }`, by id. */
async function serviceTypes(api) {
  const entries = await api.query.services.serviceTypes.entries();
  return entries
    .map(([key, value]) => {
      const t = value.unwrap();
      return { id: key.args[0].toNumber(), name: t.name.toUtf8(), terms: t.terms, offers: t.offers.toNumber() };
    })
    .sort((a, b) => a.id - b.id);
}

function typeSelect(name) {
  return h('select', { name, required: true }, h('option', { value: '' }, 'no service type yet'));
}

/** The view: forms made once, data read again on every block. */
export function servicesView(ctx) {
  const { api } = ctx;
  const pickers = [typeSelect('type'), typeSelect('type')];

  const offerForm = actionForm(ctx, {
    id: 'offer-form',
    title: 'Make an offer',
    submit: 'Offer',
    fields: [
      field('Service type', pickers[0]),
      field('Capacity', h('input', { name: 'capacity', inputmode: 'numeric', value: '10', required: true }), 'units you can serve at once'),
      field('Rate', h('input', { name: 'rate', inputmode: 'decimal', value: '1', required: true }), 'GPOW per unit'),
      field('Stake', h('input', { name: 'stake', inputmode: 'decimal', value: '100', required: true }), 'REP bonded as availability stake'),
      field('Endpoint', h('input', { name: 'endpoint', value: 'https://example.org/service', maxlength: 128 }), 'where consumers reach you'),
    ],
    makeTx: (f) =>
      api.tx.services.offer(
        f.type.value,
        parseCount(f.capacity.value, 'capacity'),
        parseAmount(f.rate.value, 'rate'),
        f.endpoint.value,
        parseAmount(f.stake.value, 'stake'),
      ),
  });

  const requestForm = actionForm(ctx, {
    id: 'request-form',
    title: 'Request a service',
    submit: 'Request',
    fields: [
      field('Service type', pickers[1]),
      field('Volume', h('input', { name: 'volume', inputmode: 'numeric', value: '1', required: true }), 'units of work'),
      field('Highest rate', h('input', { name: 'maxRate', inputmode: 'decimal', value: '2', required: true }), 'GPOW per unit'),
      field('What to do', h('textarea', { name: 'payload', rows: 2, maxlength: 256 }), 'sent to the provider; its hash is the definition'),
    ],
    makeTx: (f) =>
      api.tx.services.request(
        f.type.value,
        blake2AsHex(f.payload.value),
        f.payload.value,
        parseCount(f.volume.value, 'volume'),
        parseAmount(f.maxRate.value, 'highest rate'),
        null,
      ),
  });

  async function load() {
    const types = await serviceTypes(api);
    pickers.forEach((p) => syncTypes(p, types));
    const me = ctx.me();
    const offers = await Promise.all(types.map(async (t) => ({ type: t, list: await api.rpc.services.offers(t.id) })));
    const instances = me ? await myInstances(me) : [];
    return [
      table('Service types', ['Id', 'Name', 'Panel', 'Deadline', 'Minimum stake', 'Author share', 'Offers'], types, (t) => [
        t.id,
        t.name,
        t.terms.panelSize.toNumber(),
        `${t.terms.deadline.toNumber()} blocks`,
        rep(t.terms.minStake),
        perbill(t.terms.authorShare),
        t.offers,
      ]),
      h('div', { id: 'offers' }, offers.map(({ type, list }) => offerTable(type, list, me))),
      table('My instances', ['Id', 'Type', 'Role', 'Counterpart', 'Volume', 'Fee', 'Deadline', 'Status', ''], instances, instanceRow),
    ];
  }

  function offerTable(type, list, me) {
    const rows = [...list].sort((a, b) => a.id.toNumber() - b.id.toNumber());
    return table(`Offers of ${type.id} · ${type.name}`, ['Provider', 'Free capacity', 'Capacity', 'Rate', 'Stake', 'Active', ''], rows, (o) => [
      short(o.provider),
      count(o.capacity.toBigInt() - o.used.toBigInt()),
      count(o.capacity),
      `${amount(o.rate)} / unit`,
      rep(o.stake),
      o.active.toNumber(),
      o.provider.toString() === me
        ? h('button', { class: 'small', onclick: () => run(ctx, ctx.notice, `Withdraw offer of type ${type.id}`, () => api.tx.services.withdrawOffer(type.id)) }, 'Withdraw')
        : '',
    ]);
  }

  async function myInstances(me) {
    const entries = await api.query.services.instances.entries();
    return entries
      .map(([key, value]) => ({ id: key.args[0].toNumber(), i: value.unwrap() }))
      .filter(({ i }) => i.consumer.toString() === me || i.provider.toString() === me)
      .sort((a, b) => b.id - a.id)
      .map((x) => ({ ...x, role: x.i.consumer.toString() === me ? 'consumer' : 'provider' }));
  }

  /** What `role` may do with an instance in `status` (the chain checks the blocks). */
  function instanceAction(id, i, status, role) {
    if (role === 'provider') {
      // A provider declines while the first half of the instance's time runs (the chain's rule).
      const requestedAt = i.requestedAt.toNumber();
      const declineUntil = requestedAt + Math.floor((i.deadline.toNumber() - requestedAt) / 2);
      const open = status === 'Assigned' && (ctx.best() ?? 0) + 1 < declineUntil;
      return open ? ['Decline', () => api.tx.services.decline(id)] : null;
    }
    if (status === 'Assigned') return ['Cancel', () => api.tx.services.cancel(id)];
    if (['Completed', 'Failed', 'Cancelled', 'Unjudged', 'Declined'].includes(status)) return ['Close', () => api.tx.services.closeInstance(id)];
    return null;
  }

  function instanceRow({ id, i, role }) {
    const status = i.status.type;
    const action = instanceAction(id, i, status, role);
    return [
      id,
      i.serviceType.toNumber(),
      role,
      short(role === 'consumer' ? i.provider : i.consumer),
      count(i.volume),
      amount(i.fee),
      `#${i.deadline.toNumber()}`,
      h('span', { class: `status status-${status.toLowerCase()}` }, status),
      action ? h('button', { class: 'small', onclick: () => run(ctx, ctx.notice, `${action[0]} instance ${id}`, action[1]) }, action[0]) : '',
    ];
  }

  return { forms: [offerForm, requestForm], load };
}
