// Helpers for the end-to-end test of the service market's programs (service/, issue 15): the
// binaries beside gpow-node, a dev chain spec with more funded accounts and REP founders, the
// daemons (gpow-provider, gpow-validator) as child processes with their logs, and runs of the
// consumer's command `gpow-service --json`.
//
// Every daemon started through `Daemons` is killed by `Daemons.stopAll()` (SIGTERM, then SIGKILL
// after a few seconds); its output goes to a file under the system temp directory and is kept in
// memory (`LoggedProcess`), so a failing test can print it (`Daemons.report()`).

import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';

import { editedDevSpec } from './net.mjs';
import { LoggedProcess, nodeBinary, runBinary, tail } from './node.mjs';

/** How long a daemon gets to exit after SIGTERM before SIGKILL. */
const DAEMON_STOP_MS = 5_000;

/**
 * A service-market binary: `$<env>` if set, else `name` next to the node binary (the workspace
 * build puts them in the same target directory).
 */
export function serviceBinary(name, env) {
  const bin = process.env[env] || path.join(path.dirname(nodeBinary()), name);
  assert.ok(fs.existsSync(bin), `${name} not found at ${bin}: build the workspace or set ${env}`);
  return bin;
}

/** The three programs: `{ provider, validator, service }`. */
export function marketBinaries() {
  return {
    provider: serviceBinary('gpow-provider', 'GPOW_PROVIDER'),
    validator: serviceBinary('gpow-validator', 'GPOW_VALIDATOR'),
    service: serviceBinary('gpow-service', 'GPOW_SERVICE'),
  };
}

/**
 * A plain chain spec made from `build-spec --chain dev`, written to `dir`, whose genesis also
 * endows every account of `endowed` (SS58) like the dev accounts and makes every account of
 * `founders` a founding REP holder with the dev founders' REP. `noBootstrapPool` starts pool ids
 * at 1, so that the first evaluation pool is not the bootstrap pool, which always passes. The
 * spec's other fields are kept.
 */
export function marketSpec(dir, { endowed, founders, noBootstrapPool = true }) {
  return editedDevSpec(path.join(dir, 'market-spec.json'), (spec, genesis) => {
    assert.ok(genesis?.balances?.balances && genesis?.reputation?.members, 'build-spec: no balances or reputation in the dev patch');
    const [, endowment] = genesis.balances.balances[0];
    const [, founding] = genesis.reputation.members[0];
    const add = (list, accounts, amount) => {
      for (const who of accounts) if (!list.some(([a]) => a === who)) list.push([who, amount]);
    };
    add(genesis.balances.balances, endowed, endowment);
    add(genesis.reputation.members, founders, founding);
    genesis.reputation.noBootstrapPool = noBootstrapPool;
  });
}

/** A running daemon: a `LoggedProcess` that can be killed on purpose or stopped. */
export class Daemon extends LoggedProcess {
  /** The log lines that match `re`. */
  lines(re) {
    return this.log.split('\n').filter((l) => re.test(l));
  }

  /** Sends `signal` (SIGKILL: a crash on purpose) and waits for the exit. */
  async kill(signal = 'SIGKILL') {
    if (!this.exit) this.child.kill(signal);
    const exit = await this.exited;
    this._append(`\n[e2e: ${signal} ${JSON.stringify(exit)}]\n`);
    return exit;
  }

  /** SIGTERM, then SIGKILL if it is still running after DAEMON_STOP_MS. */
  async stop() {
    if (!this.exit) this.child.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, DAEMON_STOP_MS, 'late');
    });
    if ((await Promise.race([this.exited, late])) === 'late') this.child.kill('SIGKILL');
    clearTimeout(timer);
    await this.exited;
    await new Promise((resolve) => this._logFile.end(resolve));
  }
}

/** The daemons of a test: started, killed at the end, their logs reported on a failure. */
export class Daemons {
  constructor() {
    this.all = [];
  }

  start(name, bin, args) {
    const daemon = new Daemon(name, args).spawn(bin);
    this.all.push(daemon);
    return daemon;
  }

  async stopAll() {
    await Promise.all(this.all.map((d) => d.stop()));
  }

  /** Asserts that no daemon panicked. */
  assertNoPanic() {
    for (const d of this.all) assert.ok(!d.log.includes('panicked at'), `${d.name} panicked; log: ${d.logPath}`);
  }

  /** Prints the last lines of every daemon's log (for a failure). */
  report(lines = 80) {
    for (const d of this.all) {
      console.error(`--- ${d.name} (${d.logPath}), exit ${JSON.stringify(d.exit)}:\n${tail(d.log, lines)}\n--- end of ${d.name}`);
    }
  }
}

/**
 * Runs `gpow-service --node <url> --suri <suri> --data-dir <dir> --json <args>` to completion and
 * resolves with `{ code, lines, stderr, error, ms, argv, logPath }`: its JSON lines, and the
 * `error` name of a failed run.
 */
export async function runService(bin, { url, suri, dataDir }, args, timeoutMs = 120_000) {
  const argv = ['--node', url, '--suri', suri, '--data-dir', dataDir, '--json', ...args];
  const started = Date.now();
  const run = await runBinary(argv, { bin, name: `gpow-service-${args[0]}`, timeoutMs });
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return { unparsed: l };
      }
    });
  const error = lines.findLast((l) => l.error)?.error ?? null;
  return { code: run.code, lines, stderr: run.stderr, error, ms: Date.now() - started, argv, logPath: run.logPath };
}

/** The first line of a run with `event`, or a failed assertion naming the run's output. */
export function eventLine(run, event) {
  const line = run.lines.find((l) => l.event === event);
  assert.ok(line, `gpow-service ${run.argv.slice(8).join(' ')}: no "${event}" line (exit ${run.code}): ${JSON.stringify(run.lines)} ${run.stderr}`);
  return line;
}

/**
 * Every block from 1 to the best, with its signed extrinsics (`{ signer, call }`, the call as
 * `section.method`) and events, read through `api`. The blocks of `known` (an earlier answer)
 * are kept when the best chain still holds the last of them: only the newer ones are read.
 */
export async function readBlocks(api, known = []) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const last = known.at(-1);
  const kept = last && last.number <= best && (await api.rpc.chain.getBlockHash(last.number)).eq(last.hash);
  const blocks = kept ? [...known] : [];
  for (let n = blocks.length + 1; n <= best; n += 1) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [signed, apiAt] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash)]);
    const [events, now] = await Promise.all([apiAt.query.system.events(), apiAt.query.timestamp.now()]);
    const extrinsics = signed.block.extrinsics.map((x) => ({
      signer: x.isSigned ? x.signer.toString() : null,
      call: `${x.method.section}.${x.method.method}`,
    }));
    blocks.push({ number: n, hash, timestamp: now.toNumber(), extrinsics, events: events.map((e) => e) });
  }
  return blocks;
}

/** The events `section.method` of `blocks`: `{ block, index (extrinsic or null), data }`. */
export function findEvents(blocks, section, method) {
  const out = [];
  for (const block of blocks) {
    for (const { event, phase } of block.events) {
      if (event.section === section && event.method === method) {
        out.push({ block, index: phase.isApplyExtrinsic ? phase.asApplyExtrinsic.toNumber() : null, data: event.data });
      }
    }
  }
  return out;
}
