// The dapp's entry point: the page's frame (node address, chain status, account picker, page
// tabs), the connection to the node (switched when the user changes its address), and the pages,
// whose data is read again on every new best block while they are shown.

import { loadAccounts } from './accounts.mjs';
import { output } from './actions.mjs';
import { Connection } from './connection.mjs';
import { h, replace } from './dom.mjs';
import { setToken } from './format.mjs';
import { accountPicker } from './picker.mjs';
import { statusBar } from './status.mjs';
import { forumView } from './views/forum.mjs';
import { governanceView } from './views/governance.mjs';
import { servicesView } from './views/services.mjs';
import { sskView } from './views/ssk.mjs';

const VIEWS = [
  { id: 'services', title: 'Service market', make: servicesView },
  { id: 'forum', title: 'Forum & pools', make: forumView },
  { id: 'governance', title: 'Governance', make: governanceView },
  { id: 'keys', title: 'SSK keys', make: sskView },
];
const NODE_KEY = 'gpow-node';

/** The node to connect to: `?node=` in the address, else the last one chosen, else the server's default. */
function initialNode() {
  return (
    new URLSearchParams(location.search).get('node') ||
    localStorage.getItem(NODE_KEY) ||
    document.querySelector('meta[name="gpow-node"]')?.content ||
    'ws://127.0.0.1:9944'
  );
}

const status = statusBar();
const picker = accountPicker();
const nodeInput = h('input', { id: 'node-url', name: 'node', type: 'url', required: true, pattern: 'wss?://.+', 'aria-label': 'Node WebSocket address' });
const nodeForm = h('form', { id: 'node-form', class: 'node-form' }, nodeInput, h('button', { type: 'submit' }, 'Connect'));
const nav = h('nav', { 'aria-label': 'Pages' }, VIEWS.map((v) => h('a', { href: `#${v.id}`, id: `tab-${v.id}` }, v.title)));
const main = h('main', { id: 'view' });
document.body.replaceChildren(
  h('header', {}, h('div', { class: 'bar' }, h('h1', {}, 'GPoW'), nodeForm), status.el, picker.el),
  nav,
  main,
);

/** The connection in use and the pages made for it. */
let session = null;

const currentView = () => VIEWS.find((v) => `#${v.id}` === location.hash) ?? VIEWS[0];

/** The page `view` of session `s`: made once, when the API is ready. */
function panelOf(s, view) {
  if (!s.panels.has(view.id)) {
    const ctx = {
      api: s.api,
      notice: output(),
      me: () => picker.chosen()?.address ?? null,
      account: () => picker.chosen(),
      best: () => s.conn.best,
      refresh: () => refresh(s),
    };
    const { forms, load } = view.make(ctx);
    const data = h('div', { class: 'data', 'aria-busy': 'true' }, h('p', {}, 'Loading…'));
    const el = h(
      'section',
      { id: `view-${view.id}`, 'aria-label': view.title },
      h('h2', {}, view.title),
      ctx.notice,
      h('div', { class: 'columns' }, data, forms.length ? h('div', { class: 'forms' }, forms) : null),
    );
    s.panels.set(view.id, { el, data, load, busy: false, again: false });
  }
  return s.panels.get(view.id);
}

/** Shows the current page (or why it cannot be shown yet). */
function show() {
  if (!session) return;
  const view = currentView();
  for (const v of VIEWS) document.getElementById(`tab-${v.id}`).toggleAttribute('aria-current', v === view);
  if (!session?.api) {
    replace(main, h('p', { class: 'loading' }, 'Loading the chain’s metadata…'));
    return;
  }
  replace(main, panelOf(session, view).el);
  refresh(session);
}

/** Reads the current page's data again (once at a time; a request meanwhile runs after). */
async function refresh(s) {
  if (!s?.api || s !== session) return;
  const panel = panelOf(s, currentView());
  if (panel.busy) {
    panel.again = true;
    return;
  }
  panel.busy = true;
  try {
    const next = h('div', {}, await panel.load());
    // Only touch the page when something changed: keeps focus and scroll on buttons.
    if (next.innerHTML !== panel.data.innerHTML) replace(panel.data, ...next.childNodes);
  } catch (e) {
    replace(panel.data, h('p', { class: 'error' }, `Could not read the chain: ${e.message}`));
  }
  panel.data.removeAttribute('aria-busy');
  panel.busy = false;
  if (panel.again) {
    panel.again = false;
    refresh(s);
  }
}

/** Connects to `url` (closing the connection in use) and remembers it. */
function connectTo(url) {
  session?.conn.close();
  nodeInput.value = url;
  let conn;
  try {
    conn = new Connection(url);
  } catch (e) {
    session = null;
    replace(main, h('p', { class: 'error', role: 'alert' }, `Cannot connect to "${url}": ${e.message}`));
    return;
  }
  localStorage.setItem(NODE_KEY, url);
  const s = { conn, api: null, panels: new Map() };
  session = s;
  status.bind(conn);
  picker.clear();
  document.body.dataset.conn = conn.state;
  conn.addEventListener('state', (e) => (document.body.dataset.conn = e.detail));
  conn.addEventListener('best', () => refresh(s));
  conn.addEventListener('ready', async (e) => {
    const api = e.detail;
    setToken(await api.rpc.system.properties());
    if (s !== session) return;
    // The pages show the chain at once; the picker fills when the accounts are loaded (the
    // extension may take a while to answer, and the key crypto to start).
    s.api = api;
    show();
    const loaded = await loadAccounts(api).catch((err) => ({ error: err }));
    if (s !== session) return;
    if (loaded.error) picker.failed(loaded.error);
    else picker.set(loaded.accounts, loaded.chainType);
    refresh(s); // the page again, for the chosen account
  });
  show();
}

nodeForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const url = nodeInput.value.trim();
  history.replaceState(null, '', `?node=${encodeURIComponent(url)}${location.hash}`);
  connectTo(url);
});
picker.el.addEventListener('change', () => refresh(session));
window.addEventListener('hashchange', show);
connectTo(initialNode());
