// Helpers for the GPoW end-to-end tests: find the node binary and free ports, spawn a node,
// collect its log, wait for its RPC, connect @polkadot/api, and stop it again with SIGINT.
//
// Every node started through `withNode` is checked when it stops: its log must not contain
// `panicked at`, and it must exit on SIGINT within 20 s with status 0 (otherwise it is killed
// with SIGKILL and the test fails). On any failure the path of the node's log file is printed
// together with the last lines of the log.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Time the node gets to answer RPC after it was spawned. */
export const RPC_READY_TIMEOUT_MS = 120_000;
/** Time the node gets to exit after SIGINT before it is killed with SIGKILL. */
export const STOP_TIMEOUT_MS = 20_000;
/** What a node must never print. */
export const PANIC_MARKER = 'panicked at';
/** What a clean stop must not print: the task manager's report of an essential task that ended. */
export const FAILED_TASK_MARKER = /Essential task `[^`]*` failed/;

/** The gpow-node binary: `$GPOW_NODE`, else `${CARGO_TARGET_DIR:-$HOME/.cache/gpow/target}/release/gpow-node`. */
export function nodeBinary() {
  if (process.env.GPOW_NODE) return process.env.GPOW_NODE;
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'gpow', 'target');
  return path.join(target, 'release', 'gpow-node');
}

/** Fails early, with a useful message, when the binary is missing. */
export function assertBinaryExists() {
  const bin = nodeBinary();
  assert.ok(
    fs.existsSync(bin),
    `gpow-node binary not found at ${bin}: build it (cargo build --release -p gpow-node) or set GPOW_NODE`,
  );
  return bin;
}

/** A TCP port on 127.0.0.1 that is free right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Several distinct free ports. */
export async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** A fresh temporary directory under os.tmpdir(). */
export function tmpDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gpow-e2e-${prefix}-`));
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `what` in the message when `promise` does not settle within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let logCounter = 0;
function newLogPath(name) {
  const safe = String(name).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  logCounter += 1;
  return path.join(os.tmpdir(), `gpow-e2e-${safe}-${process.pid}-${Date.now()}-${logCounter}.log`);
}

/** The last `n` lines of a log. */
export function tail(text, n = 60) {
  const lines = text.split('\n');
  return lines.slice(Math.max(0, lines.length - n)).join('\n');
}

/**
 * Runs the node binary (or `bin`) to completion (for sub-commands and for CLI errors), with a
 * timeout after which it is killed. Resolves with { code, signal, timedOut, output, stdout,
 * stderr, logPath }.
 */
export function runBinary(args, { name = 'run', timeoutMs = 120_000, cwd, bin = assertBinaryExists() } = {}) {
  const logPath = newLogPath(name);
  const logFile = fs.createWriteStream(logPath);
  logFile.write(`$ ${bin} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      output += d;
      logFile.write(d);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      output += d;
      logFile.write(d);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      logFile.end();
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      logFile.end(`\n[exit code=${code} signal=${signal}${timedOut ? ' (killed: timeout)' : ''}]\n`);
      resolve({ code, signal, timedOut, output, stdout, stderr, logPath });
    });
  });
}

/** A fresh sr25519 account (never Alice) to pass as --author. */
export async function freshAccount() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return keyring.addFromMnemonic(mnemonicGenerate());
}

/** //Alice, //Bob, ... as sr25519 pairs. */
export async function devAccount(name = 'Alice') {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return keyring.addFromUri(`//${name}`);
}

/** A raw JSON-RPC call over HTTP that may fail: resolves with `{ result }` or `{ error }`. */
export async function rpcRaw(port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.json();
  return body.error ? { error: body.error } : { result: body.result };
}

/** A raw JSON-RPC call over HTTP; throws on an error answer (the error object is the Error's `rpc`). */
export async function rpcHttp(port, method, params = []) {
  const { result, error } = await rpcRaw(port, method, params);
  if (error) throw Object.assign(new Error(`${method}: ${JSON.stringify(error)}`), { rpc: error });
  return result;
}

/**
 * A child process whose output (stdout and stderr) is kept in `log` and appended to `logPath`;
 * `exit` is `{ code, signal }` (or `{ error }` if it could not be spawned) once it ended.
 */
export class LoggedProcess {
  constructor(name, args, logPath = newLogPath(name)) {
    this.name = name;
    this.args = args;
    this.logPath = logPath;
    this.log = '';
    this.exit = null;
    this._waiters = new Set();
  }

  /** Spawns `bin` with `this.args`; `exited` resolves with `exit`. Returns the process. */
  spawn(bin) {
    this._logFile = fs.createWriteStream(this.logPath, { flags: 'a' });
    this._logFile.write(`$ ${bin} ${this.args.join(' ')}\n`);
    this.child = spawn(bin, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d) => this._append(d.toString());
    this.child.stdout.on('data', onData);
    this.child.stderr.on('data', onData);
    this.exited = new Promise((resolve) => {
      const ended = (exit) => {
        this.exit ??= exit;
        for (const w of [...this._waiters]) w();
        resolve(this.exit);
      };
      this.child.on('exit', (code, signal) => ended({ code, signal }));
      this.child.on('error', (e) => {
        this._append(`\n[spawn error: ${e.message}]\n`);
        ended({ code: null, signal: null, error: e });
      });
    });
    return this;
  }

  _append(text) {
    this.log += text;
    // Output can still come after the exit, once the log file was closed.
    if (this._logFile && !this._logFile.writableEnded) this._logFile.write(text);
    for (const w of [...this._waiters]) w();
  }

  /** Resolves when the log matches `re` (checked on every new output), rejects on timeout/exit. */
  waitForLog(re, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        const m = this.log.match(re);
        if (m) {
          cleanup();
          resolve(m);
        } else if (this.exit) {
          cleanup();
          reject(new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before its log matched ${re}`));
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        this._waiters.delete(check);
      };
      timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${this.name}'s log to match ${re}`));
      }, timeoutMs);
      this._waiters.add(check);
      check();
    });
  }
}

/**
 * A running gpow-node process. Create it with `GpowNode.start(opts)`; prefer `withNode`, which
 * also checks the log and the exit on SIGINT.
 */
export class GpowNode extends LoggedProcess {
  constructor({ name, args, rpcPort, p2pPort, logPath }) {
    super(name, args, logPath);
    this.rpcPort = rpcPort;
    this.p2pPort = p2pPort;
    this.api = null;
    this.stopResult = null;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  /**
   * Spawns gpow-node. Options:
   *  - name: used in the log file name
   *  - chainArgs: default ['--dev']
   *  - basePath: a directory (default: '--tmp')
   *  - author: SS58 address for --author (default: none, pass one!)
   *  - miningThreads: default 1 (null to leave the flag out)
   *  - extraArgs: more flags
   *  - rpcPort, p2pPort: fixed ports (default: free ones), e.g. to restart a node of a network
   *    where peers know its address
   *  - listenAddr: p2p listen multiaddress instead of --port (it must name p2pPort); needed for
   *    plain TCP on chains other than --dev, whose nodes listen on WebSocket by default
   *  - prometheusPort: serve metrics there (default: --no-prometheus)
   *  - logPath: append the output to this file (default: a new file under the temp directory)
   */
  static async start({
    name = 'node',
    chainArgs = ['--dev'],
    basePath = null,
    author = null,
    miningThreads = 1,
    extraArgs = [],
    rpcPort = null,
    p2pPort = null,
    listenAddr = null,
    prometheusPort = null,
    logPath = null,
  } = {}) {
    const bin = assertBinaryExists();
    if (rpcPort === null || p2pPort === null) {
      const free = (await freePorts(4)).filter((p) => p !== rpcPort && p !== p2pPort);
      rpcPort ??= free.pop();
      p2pPort ??= free.pop();
    }
    const args = [
      ...chainArgs,
      ...(basePath ? ['--base-path', basePath] : ['--tmp']),
      '--rpc-port', String(rpcPort),
      ...(listenAddr ? ['--listen-addr', listenAddr] : ['--port', String(p2pPort)]),
      '--no-mdns',
      ...(prometheusPort ? ['--prometheus-port', String(prometheusPort)] : ['--no-prometheus']),
      '--no-telemetry',
      ...(author ? ['--author', author] : []),
      ...(miningThreads !== null ? ['--mining-threads', String(miningThreads)] : []),
      ...extraArgs,
    ];
    const node = new GpowNode({ name, args, rpcPort, p2pPort, logPath: logPath ?? newLogPath(name) });
    return node.spawn(bin);
  }

  /** Polls system_health over HTTP until the node answers. */
  async waitForRpc(timeoutMs = RPC_READY_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    let lastErr;
    while (Date.now() < deadline) {
      if (this.exit) {
        throw new Error(`node exited early (${JSON.stringify(this.exit)}) before its RPC answered`);
      }
      try {
        await rpcHttp(this.rpcPort, 'system_health');
        return;
      } catch (e) {
        lastErr = e;
      }
      await sleep(500);
    }
    throw new Error(`node RPC on port ${this.rpcPort} did not answer within ${timeoutMs / 1000} s: ${lastErr?.message}`);
  }

  /**
   * Waits for RPC and connects an ApiPromise (stored in `this.api`); `apiOptions` (such as the
   * GPoW RPC definitions of `@gpow/api`) join the options of ApiPromise.create.
   */
  async connect(apiOptions = {}) {
    await this.waitForRpc();
    const provider = new WsProvider(this.wsUrl, 2_500, {}, 60_000);
    this.api = await withTimeout(
      ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true, ...apiOptions }),
      RPC_READY_TIMEOUT_MS,
      `@polkadot/api to connect to ${this.wsUrl}`,
    );
    return this.api;
  }

  async disconnect() {
    if (this.api) {
      const api = this.api;
      this.api = null;
      await api.disconnect().catch(() => {});
    }
  }

  /**
   * Disconnects the API, sends SIGINT, waits up to STOP_TIMEOUT_MS for the exit, then SIGKILL.
   * Resolves with { code, signal, killed, ms }. Idempotent.
   */
  async stop() {
    if (this.stopResult) return this.stopResult;
    await this.disconnect();
    const t0 = Date.now();
    let killed = false;
    if (!this.exit) {
      this.child.kill('SIGINT');
      let handle;
      const timer = new Promise((resolve) => {
        handle = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
      });
      const outcome = await Promise.race([this.exited, timer]);
      // A pending timer would keep the test file's process alive for the whole timeout.
      clearTimeout(handle);
      if (outcome === 'timeout') {
        killed = true;
        this._append(`\n[e2e: node did not exit ${STOP_TIMEOUT_MS / 1000} s after SIGINT: SIGKILL]\n`);
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    const exit = await this.exited;
    this.stopResult = { ...exit, killed, ms: Date.now() - t0 };
    await new Promise((resolve) => this._logFile.end(`\n[e2e: exit ${JSON.stringify(this.stopResult)}]\n`, resolve));
    return this.stopResult;
  }

  /** The node process's resident set size in bytes (`VmRSS` of /proc/<pid>/status, Linux), or null once it exited. */
  rssBytes() {
    if (this.exit) return null;
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
      return m ? Number(m[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  /**
   * The node's resident memory split as the kernel counts it (/proc/<pid>/status, Linux):
   * `{ anon, file, shmem }` in bytes (`RssAnon`: heap, the part a leak grows; `RssFile`: mapped
   * files such as ParityDB's index tables, page cache the kernel can reclaim), or null once it exited.
   */
  rssSplit() {
    if (this.exit) return null;
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'))?.[1] ?? 0) * 1024;
      return { anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
    } catch {
      return null;
    }
  }

  /**
   * Samples `rssBytes()` every `intervalMs` until `stop()`, which resolves with
   * `{ peakBytes, lastBytes, samples }` (`samples`: `[ms since start, bytes]`).
   */
  watchRss(intervalMs = 250) {
    const t0 = Date.now();
    const samples = [];
    const sample = () => {
      const bytes = this.rssBytes();
      if (bytes !== null) samples.push([Date.now() - t0, bytes]);
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    timer.unref();
    return {
      stop: () => {
        clearInterval(timer);
        sample();
        const peakBytes = samples.reduce((peak, [, bytes]) => Math.max(peak, bytes), 0);
        return { peakBytes, lastBytes: samples.at(-1)?.[1] ?? null, samples };
      },
    };
  }

  /**
   * Kills the node with SIGKILL (a crash on purpose: no clean-stop check) and waits for the exit.
   * Resolves with { code, signal, killed: true, ms }. Idempotent, like `stop`.
   */
  async kill() {
    if (this.stopResult) return this.stopResult;
    await this.disconnect();
    const t0 = Date.now();
    if (!this.exit) this.child.kill('SIGKILL');
    const exit = await this.exited;
    this.stopResult = { ...exit, killed: true, ms: Date.now() - t0 };
    await new Promise((resolve) => this._logFile.end(`\n[e2e: killed on purpose ${JSON.stringify(this.stopResult)}]\n`, resolve));
    return this.stopResult;
  }

  hasPanicked() {
    return this.log.includes(PANIC_MARKER);
  }

  assertNoPanic() {
    assert.ok(!this.hasPanicked(), `the node panicked (log contains "${PANIC_MARKER}"); log: ${this.logPath}\n${panicExcerpt(this.log)}`);
  }

  /**
   * Stops the node and asserts: no SIGKILL needed, exit status 0, no panic in the log, and no
   * essential task reported as failed (a clean stop ends every task quietly).
   */
  async stopAndCheck() {
    const res = await this.stop();
    assert.ok(!res.killed, `node did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGINT and was killed; log: ${this.logPath}`);
    assert.ok(
      res.code === 0 && res.signal === null,
      `node did not exit cleanly after SIGINT (code=${res.code}, signal=${res.signal}); log: ${this.logPath}`,
    );
    this.assertNoPanic();
    const failedTask = this.log.match(FAILED_TASK_MARKER);
    assert.ok(!failedTask, `a clean stop reported "${failedTask?.[0]}"; log: ${this.logPath}`);
    return res;
  }
}

/** A few lines around the first panic in a log. */
export function panicExcerpt(log) {
  const i = log.indexOf(PANIC_MARKER);
  if (i < 0) return '';
  const start = log.lastIndexOf('\n', Math.max(0, i - 400));
  return log.slice(Math.max(0, start), i + 1200);
}

function reportFailure(t, node, err) {
  const msg = [
    `--- ${t.name}: failure with node "${node.name}" (args: ${node.args.join(' ')})`,
    `--- node log: ${node.logPath}`,
    err ? `--- error: ${err.stack || err}` : '',
    '--- last lines of the node log:',
    tail(node.log, 40),
    '--- end of node log excerpt',
  ].join('\n');
  console.error(msg);
}

/**
 * Starts a node, connects the API (unless connect: false), runs `fn(node, step)`, then stops the
 * node and checks it (exit after SIGINT, status 0, no panic). `step(name, fn)` runs a subtest and
 * remembers whether it failed so the node log is reported. Always prints the log path as a test
 * diagnostic.
 */
export async function withNode(t, opts, fn) {
  const node = await GpowNode.start({ name: t.name, ...opts });
  t.diagnostic(`node log: ${node.logPath}`);
  let failed = false;
  const step = (name, body) =>
    t.test(name, async (st) => {
      try {
        await body(st);
      } catch (e) {
        failed = true;
        console.error(`--- step "${name}" failed; node log: ${node.logPath}`);
        throw e;
      }
    });
  let error = null;
  try {
    if (opts.connect !== false) await node.connect();
    await fn(node, step);
  } catch (e) {
    error = e;
  }
  let stopError = null;
  try {
    await node.stopAndCheck();
  } catch (e) {
    stopError = e;
  }
  if (error || stopError || failed) reportFailure(t, node, error || stopError);
  if (error && stopError) {
    throw new AggregateError([error, stopError], `${error.message}\nand when stopping: ${stopError.message}`);
  }
  if (error) throw error;
  if (stopError) throw stopError;
  return node;
}

/**
 * A `step` (of `withNode`) that stops the scenario when it fails: it throws once the failed
 * subtest is reported, for scenarios whose later steps depend on the earlier ones.
 */
export function strict(step) {
  return async (name, body) => {
    let ok = false;
    await step(name, async (st) => {
      await body(st);
      ok = true;
    });
    if (!ok) throw new Error(`step "${name}" failed; the rest of the scenario depends on it`);
  };
}

/** Resolves with the first new head whose number is >= `number` (the package's `untilBlock`). */
export { untilBlock as waitForBlock } from '@gpow/api';

/** Collects `count` new heads (distinct numbers above the current best). */
export async function collectNewHeads(api, count, timeoutMs = 180_000) {
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  const seen = new Map();
  let unsub;
  try {
    return await withTimeout(
      new Promise((resolve, reject) => {
        api.rpc.chain
          .subscribeNewHeads((header) => {
            const n = header.number.toNumber();
            if (n > start && !seen.has(n)) seen.set(n, header);
            if (seen.size >= count) resolve({ start, heads: [...seen.values()] });
          })
          .then((u) => {
            unsub = u;
          })
          .catch(reject);
      }),
      timeoutMs,
      `${count} new blocks after #${start}`,
    );
  } finally {
    if (unsub) unsub();
  }
}
