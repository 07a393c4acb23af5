// The web dapp (web/) in a real headless browser: Debian's chromium driven by puppeteer-core
// against a live dev node. The page shows live blocks (its best block advances) within the first
// meaningful paint budget (navigation to the best block number shown: under 2 s), the chain's
// data (its name and type, the dev accounts of a development chain, a service type Root
// registered through sudo); a bad offer (capacity 0) made through the page's form shows the
// chain's named error with its doc comment from the metadata; Alice's offer made through the form
// is listed with its free capacity and is on chain; a phone-sized page (390×844) shows the same
// without horizontal scrolling, and with a browser extension (a stand-in injected into the page
// that signs in the test process) lists its account first and publishes an SSK key signed by it;
// when the node says its chain is live (the page's WebSocket rewrites system_chainType) no dev
// account is offered; the node stopped shows "disconnected", and the page reconnects by itself when the node is back
// on the same port (same base path). Screenshots of the desktop and phone pages are saved to a
// directory printed as a test diagnostic.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { blake2AsHex } from '@polkadot/util-crypto';
import puppeteer from 'puppeteer-core';

import { sendAndWaitInBlock } from './lib/chain.mjs';
import { GpowNode, REPO_ROOT, devAccount, freePorts, freshAccount, tmpDir, waitForBlock, withNode } from './lib/node.mjs';

const UNIT = 10n ** 12n;
/** The budget for the first meaningful paint. */
const FIRST_PAINT_BUDGET_MS = 2_000;
const PHONE = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { width: 1280, height: 900 };
/** How long the page gets for anything the chain does (a block is ~2 s; the machine may be loaded). */
const PAGE_WAIT_MS = 30_000;
/** How often a wait looks at the page (by the clock: a page in a background tab gets no animation frames). */
const POLL_MS = 100;

/** Debian's chromium (`apt-get install chromium`, scripts/setup.sh), or `$CHROMIUM`. */
function chromiumPath() {
  const found = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && fs.existsSync(p));
  assert.ok(found, 'chromium not found at /usr/bin/chromium (bash scripts/setup.sh installs it) and $CHROMIUM is not set');
  return found;
}

/** Bundles the dapp (scripts/web.sh --build-only) and serves it on a free port; resolves with { url, stop }. */
async function serveDapp(nodeUrl) {
  await promisify(execFile)('bash', [path.join(REPO_ROOT, 'scripts', 'web.sh'), '--build-only'], { timeout: 180_000 });
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'web', 'server.mjs'), '--port', String(port), '--node', nodeUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => d.toString().includes('web: the GPoW dapp on') && resolve());
    child.on('exit', (code) => reject(new Error(`web/server.mjs exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGTERM') };
}

/** The text of `selector` on `page` ('' when absent). */
function textOf(page, selector) {
  return page.$eval(selector, (e) => e.textContent).catch(() => '');
}

/** The best block number the page shows, or null. */
async function bestShown(page) {
  const digits = (await textOf(page, '#best-block')).replace(/\D/g, '');
  return digits ? Number(digits) : null;
}

/** Waits until `selector`'s text matches `re` and returns the text. */
async function waitForText(page, selector, re, what) {
  try {
    await page.waitForFunction((s, source) => new RegExp(source).test(document.querySelector(s)?.textContent ?? ''), { polling: POLL_MS, timeout: PAGE_WAIT_MS }, selector, re.source);
  } catch {
    assert.fail(`${what}: ${selector} never matched ${re}; it shows "${await textOf(page, selector)}"`);
  }
  return textOf(page, selector);
}

/** Waits until the page shows a best block above `n`. */
async function waitForBestAbove(page, n, what) {
  await page.waitForFunction((min) => Number((document.querySelector('#best-block')?.textContent ?? '').replace(/\D/g, '')) > min, { polling: POLL_MS, timeout: PAGE_WAIT_MS }, n).catch(async () => {
    assert.fail(`${what}: the page's best block stayed at ${await bestShown(page)} (waited for > ${n})`);
  });
  return bestShown(page);
}

/**
 * Makes `page` look like it has a polkadot.js-style browser extension holding `pair`: it lists the
 * pair's address and signs payloads in the test process (as an extension signs in its own).
 */
async function fakeExtension(api, page, pair, name) {
  await page.exposeFunction('e2eSignPayload', (payload) =>
    api.registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(pair).signature,
  );
  await page.evaluateOnNewDocument(
    (address, accountName) => {
      const accounts = [{ address, name: accountName, type: 'sr25519' }];
      window.injectedWeb3 = {
        'e2e-extension': {
          version: '0.0.1',
          enable: async () => ({
            accounts: { get: async () => accounts, subscribe: (cb) => (cb(accounts), () => {}) },
            signer: { signPayload: async (payload) => ({ id: 1, signature: await window.e2eSignPayload(payload) }) },
          }),
        },
      };
    },
    pair.address,
    name,
  );
}

/**
 * Makes the node look like a live chain to `page`: its WebSocket answers `system_chainType` with
 * "Live" (the dapp must then offer no dev accounts).
 */
function claimLiveChain(page) {
  return page.evaluateOnNewDocument(() => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      #asked = new Set();
      send(text) {
        const { id, method } = JSON.parse(text);
        if (method === 'system_chainType') this.#asked.add(id);
        super.send(text);
      }
      set onmessage(handler) {
        super.onmessage = handler && ((event) => {
          const message = JSON.parse(event.data);
          if (!this.#asked.delete(message.id)) return handler(event);
          return handler(new MessageEvent('message', { data: JSON.stringify({ ...message, result: 'Live' }) }));
        });
      }
      get onmessage() {
        return super.onmessage;
      }
    };
  });
}

/**
 * Opens the dapp in a new page with `viewport` and resolves with the page and its first
 * meaningful paint: milliseconds from the start of navigation to the best block number shown.
 * `prepare(page)` runs before the navigation.
 */
async function openDapp(browser, url, viewport, prepare = async () => {}) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setViewport(viewport);
  await prepare(page);
  await page.goto(url);
  const painted = await page.waitForFunction(() => /\d/.test(document.querySelector('#best-block')?.textContent ?? '') && performance.now(), {
    polling: 'mutation',
    timeout: PAGE_WAIT_MS,
  });
  return { page, firstPaintMs: Math.round(await painted.jsonValue()), problems };
}

/** Fills the offer form and submits it; resolves with the text of its result line once final. */
async function submitOffer(page, { capacity, rate, stake }) {
  for (const [name, value] of Object.entries({ capacity, rate, stake })) {
    await page.$eval(`#offer-form [name="${name}"]`, (e, v) => (e.value = v), String(value));
  }
  await page.$eval('#offer-form .result', (e) => e.replaceChildren());
  await page.click('#offer-form button[type="submit"]');
  await page.waitForFunction(() => ['ok', 'error'].includes(document.querySelector('#offer-form .result')?.dataset.kind), { polling: POLL_MS, timeout: PAGE_WAIT_MS });
  return textOf(page, '#offer-form .result');
}

test('web dapp: live blocks, chain data, an offer through the form, errors in words, phone layout, disconnect and reconnect', async (t) => {
  const t0 = Date.now();
  const executablePath = chromiumPath();
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'gpow-e2e-web-screenshots-'));
  t.diagnostic(`screenshots: ${shots}`);
  const miner = await freshAccount();
  const alice = await devAccount('Alice');
  const basePath = tmpDir('web');
  const [rpcPort, p2pPort] = await freePorts(2);
  const nodeOptions = { author: miner.address, basePath, rpcPort, p2pPort };
  let restarted = null;
  let browser = null;
  let dapp = null;

  try {
    await withNode(t, { ...nodeOptions, connect: false }, async (node, step) => {
      const [api] = await Promise.all([node.connect(), serveDapp(node.wsUrl).then((d) => (dapp = d))]);
      await waitForBlock(api, 1, 240_000);
      browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
      const terms = {
        panelSize: 1,
        paramSet: 'default',
        deadline: 10,
        author: alice.address,
        authorShare: 0,
        validatorsShare: 0,
        minStake: 100n * UNIT,
      };
      await sendAndWaitInBlock(api, api.tx.sudo.sudo(api.tx.services.registerType('web-compute', blake2AsHex('web schema'), 'job', terms)), alice);
      assert.ok((await api.query.services.serviceTypes(0)).isSome, 'sudo registered service type 0');

      let page;
      await step('the page paints the best block within 2 s and follows new blocks', async () => {
        const opened = await openDapp(browser, dapp.url, DESKTOP);
        page = opened.page;
        t.diagnostic(`first meaningful paint (navigation to the best block shown): ${opened.firstPaintMs} ms`);
        assert.ok(opened.firstPaintMs < FIRST_PAINT_BUDGET_MS, `first meaningful paint ${opened.firstPaintMs} ms (budget ${FIRST_PAINT_BUDGET_MS} ms)`);
        const first = await bestShown(page);
        await waitForBestAbove(page, first, 'live blocks');
        assert.match(await textOf(page, '#conn-state'), /^Connected$/);
        assert.match(await waitForText(page, '#finalized-block', /\d/, 'finalized block'), /\d/);
        assert.deepEqual(opened.problems, [], 'no uncaught errors on the page');
      });

      await step('the page shows chain data: name and type, the dev accounts, the service type Root registered', async () => {
        await waitForText(page, '#chain-name', /Development/, 'chain name');
        await waitForText(page, '#difficulty', /\d/, 'difficulty');
        await waitForText(page, '#account-note', /dev accounts/, 'account picker');
        const accounts = await page.$$eval('#account option', (os) => os.map((o) => o.textContent));
        assert.deepEqual(accounts.slice(0, 2), ['Alice (dev)', 'Bob (dev)'], 'dev accounts on a development chain');
        await waitForText(page, '#view-services .data', /web-compute/, 'service types');
        assert.equal(await page.$eval('#offer-form [name="type"]', (e) => e.value), '0');
      });

      await step('a bad offer (capacity 0) shows the chain\'s named error in words from the metadata docs', async () => {
        const result = await submitOffer(page, { capacity: 0, rate: '1.5', stake: 150 });
        assert.match(result, /services\.ZeroCapacity: Capacity must be more than zero\./);
        assert.doesNotMatch(result, /\bat \w+ \(|Error:|\.mjs|\.js:\d/, 'no stack trace');
        await page.screenshot({ path: path.join(shots, 'desktop-error.png'), fullPage: true });
        assert.ok((await api.query.services.offers(0, alice.address)).isNone, 'nothing was offered');
        const input = await submitOffer(page, { capacity: 'ten', rate: '1.5', stake: 150 });
        assert.match(input, /The capacity must be a whole number\./, 'input checked before signing');
      });

      await step('Alice offers through the form and sees her offer listed with its free capacity', async () => {
        const result = await submitOffer(page, { capacity: 25, rate: '1.5', stake: 150 });
        assert.match(result, /Make an offer: done in block #\d+\./);
        const offer = (await api.query.services.offers(0, alice.address)).unwrap();
        assert.equal(offer.capacity.toNumber(), 25);
        assert.equal(offer.rate.toBigInt(), (15n * UNIT) / 10n);
        assert.equal(offer.stake.toBigInt(), 150n * UNIT);
        await waitForText(page, '#offers', /5Grwva…KutQY/, 'offers table');
        const rows = await page.$$eval('#offers tbody tr', (trs) => trs.map((tr) => Object.fromEntries([...tr.cells].map((c) => [c.dataset.label, c.textContent]))));
        assert.deepEqual(rows, [
          { Provider: '5Grwva…KutQY', 'Free capacity': '25', Capacity: '25', Rate: '1.5 GPOW / unit', Stake: '150 REP', Active: '0', '': 'Withdraw' },
        ]);
        await page.screenshot({ path: path.join(shots, 'desktop-services.png'), fullPage: true });
        await page.click('#tab-forum');
        await waitForText(page, '#view-forum .data', /My REP: 850 REP free/, 'forum page (150 REP bonded)');
        await page.screenshot({ path: path.join(shots, 'desktop-forum.png'), fullPage: true });
        await page.click('#tab-governance');
        await waitForText(page, '#view-governance .data', /parameters/, 'governance tracks');
        await page.click('#tab-services');
      });

      await step('on a phone (390×844) with a browser extension: its account signs, the page has no horizontal scrolling', async () => {
        const bob = await devAccount('Bob');
        const phone = await openDapp(browser, dapp.url, PHONE, (p) => fakeExtension(api, p, bob, 'Bob in the extension'));
        t.diagnostic(`first meaningful paint on the phone page: ${phone.firstPaintMs} ms`);
        await waitForText(phone.page, '#offers', /25/, 'offers on the phone');
        const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `the phone page is ${width} px wide`);
        await phone.page.screenshot({ path: path.join(shots, 'phone-services.png'), fullPage: true });
        await waitForText(phone.page, '#account-note', /Extension and dev accounts/, 'account picker on the phone');
        const accounts = await phone.page.$$eval('#account option', (os) => os.map((o) => o.textContent));
        assert.equal(accounts[0], 'Bob in the extension (e2e-extension)', 'the extension\'s account comes first');
        await phone.page.click('#tab-keys');
        await phone.page.waitForSelector('#ssk-form [name="key"]', { timeout: PAGE_WAIT_MS });
        const key = `0x${'42'.repeat(32)}`;
        await phone.page.type('#ssk-form [name="key"]', key);
        await phone.page.click('#ssk-form button[type="submit"]');
        await waitForText(phone.page, '#ssk-form .result', /done in block|failed/, 'publishing a key');
        assert.match(await textOf(phone.page, '#ssk-form .result'), /Publish my encryption key: done in block #\d+\./);
        assert.equal((await api.query.ssk.encryptionKeys(bob.address)).unwrap().key.toHex(), key, 'the key is on chain, signed by the extension');
        await waitForText(phone.page, '#view-keys .data', /5FHneW…694ty \(me\)/, 'the published keys');
        assert.deepEqual(phone.problems, [], 'no uncaught errors on the page');
        await phone.page.screenshot({ path: path.join(shots, 'phone-keys.png'), fullPage: true });
        await phone.page.close();
        await page.bringToFront();
      });

      await step('on a chain that says it is live, no dev accounts are offered', async () => {
        const live = await openDapp(browser, dapp.url, DESKTOP, claimLiveChain);
        await waitForText(live.page, '#chain-name', /\(Live\)/, 'chain type');
        const note = await waitForText(live.page, '#account-note', /No account/, 'account note');
        assert.equal(note, 'No account: install the polkadot.js extension to sign on this Live chain.');
        assert.equal(await live.page.$$eval('#account option', (os) => os.length), 0, 'no account to sign with');
        assert.deepEqual(live.problems, [], 'no uncaught errors on the page');
        await live.page.close();
        await page.bringToFront();
      });

      await step('the node going away shows "disconnected"; the page reconnects when it is back', async () => {
        const before = await bestShown(page);
        const stopped = Date.now();
        await node.stopAndCheck();
        await waitForText(page, '#conn-state', /Disconnected/, 'after the node stopped');
        t.diagnostic(`"Disconnected" shown ${Date.now() - stopped} ms after the stop began`);
        assert.equal(await page.$eval('#conn-state', (e) => e.dataset.state), 'disconnected');
        await page.screenshot({ path: path.join(shots, 'desktop-disconnected.png') });
        restarted = await GpowNode.start({ name: `${t.name} (restarted)`, ...nodeOptions });
        t.diagnostic(`restarted node log: ${restarted.logPath}`);
        await restarted.waitForRpc();
        const back = Date.now();
        await waitForText(page, '#conn-state', /^Connected$/, 'after the node came back');
        t.diagnostic(`"Connected" shown ${Date.now() - back} ms after the restarted node answered RPC`);
        const after = await waitForBestAbove(page, before, 'blocks after the reconnection');
        t.diagnostic(`best block before the stop #${before}, after the reconnection #${after}`);
      });
    });
  } finally {
    await browser?.close();
    dapp?.stop();
    if (restarted) await restarted.stopAndCheck();
  }
  t.diagnostic(`web test: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
