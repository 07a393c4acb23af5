// Helpers for the end-to-end test of the service market's programs (service/, issue 15): the
// binaries beside gpow-node, a dev chain spec with more funded accounts and REP founders, the
// daemons (gpow-provider, gpow-validator) as child processes with their logs, and runs of the
// consumer's command `gpow-service --json`.
//
// Every daemon started through `Daemons` is killed by `Daemons.stopAll()` (SIGTERM, then SIGKILL
// after a few seconds); its output goes to a file under the system temp directory and is kept in
// memory, so a failing test can print it (`Daemons.report()`).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { nodeBinary, runBinary, tail } from './node.mjs';

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
export async function marketSpec(dir, { endowed, founders, noBootstrapPool = true }) {
  const res = await runBinary(['build-spec', '--chain', 'dev'], { name: 'build-spec-market' });
  assert.equal(res.code, 0, `build-spec failed; log: ${res.logPath}`);
  const spec = JSON.parse(res.stdout);
  const genesis = spec.genesis.runtimeGenesis.patch;
  assert.ok(genesis?.balances?.balances && genesis?.reputation?.members, 'build-spec: no balances or reputation in the dev patch');
  const [, endowment] = genesis.balances.balances[0];
  const [, founding] = genesis.reputation.members[0];
  const add = (list, accounts, amount) => {
    for (const who of accounts) if (!list.some(([a]) => a === who)) list.push([who, amount]);
  };
  add(genesis.balances.balances, endowed, endowment);
  add(genesis.reputation.members, founders, founding);
  genesis.reputation.noBootstrapPool = noBootstrapPool;
  const file = path.join(dir, 'market-spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** A running daemon: its output, kept and written to `logPath`. */
export class Daemon {
  constructor(name, bin, args) {
    this.name = name;
    this.args = args;
    this.logPath = path.join(os.tmpdir(), `gpow-e2e-${name}-${process.pid}-${Date.now()}.log`);
    this.log = '';
    this.exit = null;
    this._waiters = new Set();
    this._file = fs.createWriteStream(this.logPath, { flags: 'a' });
    this._file.write(`$ ${bin} ${args.join(' ')}\n`);
    this.child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d) => {
      this.log += d;
      this._file.write(d);
      for (const w of [...this._waiters]) w();
    };
    this.child.stdout.on('data', onData);
    this.child.stderr.on('data', onData);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        for (const w of [...this._waiters]) w();
        resolve(this.exit);
      });
    });
  }

  /** Resolves with the match once the log matches `re`; rejects on timeout or exit. */
  waitForLog(re, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.log.match(re);
        if (m || this.exit) {
          clearTimeout(timer);
          this._waiters.delete(check);
          if (m) resolve(m);
          else reject(new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before its log matched ${re}`));
        }
      };
      const timer = setTimeout(() => {
        this._waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${this.name}'s log to match ${re}`));
      }, timeoutMs);
      this._waiters.add(check);
      check();
    });
  }

  /** The log lines that match `re`. */
  lines(re) {
    return this.log.split('\n').filter((l) => re.test(l));
  }

  /** Sends `signal` (SIGKILL: a crash on purpose) and waits for the exit. */
  async kill(signal = 'SIGKILL') {
    if (!this.exit) this.child.kill(signal);
    const exit = await this.exited;
    this._file.write(`\n[e2e: ${signal} ${JSON.stringify(exit)}]\n`);
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
    await new Promise((resolve) => this._file.end(resolve));
  }
}

/** The daemons of a test: started, killed at the end, their logs reported on a failure. */
export class Daemons {
  constructor() {
    this.all = [];
  }

  start(name, bin, args) {
    const daemon = new Daemon(name, bin, args);
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
 * resolves with `{ code, lines, stderr, error, ms }`: its JSON lines, and the `error` name of a
 * failed run.
 */
export function runService(bin, { url, suri, dataDir }, args, timeoutMs = 120_000) {
  const argv = ['--node', url, '--suri', suri, '--data-dir', dataDir, '--json', ...args];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = stdout
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
      resolve({ code, lines, stderr, error, ms: Date.now() - started, argv });
    });
  });
}

/** The first line of a run with `event`, or a failed assertion naming the run's output. */
export function eventLine(run, event) {
  const line = run.lines.find((l) => l.event === event);
  assert.ok(line, `gpow-service ${run.argv.slice(8).join(' ')}: no "${event}" line (exit ${run.code}): ${JSON.stringify(run.lines)} ${run.stderr}`);
  return line;
}

/**
 * Every block from 1 to the best, with its signed extrinsics (`{ signer, call }`, the call as
 * `section.method`) and events, read through `api`.
 */
export async function readBlocks(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const blocks = [];
  for (let n = 1; n <= best; n += 1) {
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

/** A field of an event's data as a JavaScript value (`toJSON`, big numbers as BigInt via toString). */
export function value(data, name) {
  const v = data[name];
  assert.ok(v !== undefined, `no field ${name} in ${JSON.stringify(data.toHuman())}`);
  return v;
}
