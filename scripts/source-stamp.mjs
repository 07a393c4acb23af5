#!/usr/bin/env node
// Lets a fresh clone reuse what the shared target directory already built from the same sources.
//
// Cargo decides whether a workspace crate is fresh by file modification times: a fresh clone
// gives every file a new time, so CI compiled the workspace's own crates again (about 5 minutes)
// although the target directory held them, built from the very same sources. Cargo's
// content-based check (`-Z checksum-freshness`) is unstable, so this does its job from outside:
//
//   node scripts/source-stamp.mjs record    after a build: write, beside the build, each tracked
//                                           file's content hash and modification time
//   node scripts/source-stamp.mjs restore   before a build, in a fresh clone: if every tracked
//                                           file has the content the stamp lists, and nothing was
//                                           built since the stamp, give each file back the time it
//                                           had then; otherwise touch nothing
//
// With the times back, cargo makes in the clone the decision it made in the stamped tree right
// after that build: what was built is fresh, the rest is built. Sources that differ in any file
// change nothing (the normal, full build follows), and so does a build after the stamp (the
// target directory may then hold artifacts of other sources). `restore` never fails the caller:
// on any problem it says why and leaves the times alone.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const targetDir = process.env.CARGO_TARGET_DIR || path.join(process.env.HOME, '.cache', 'gpow', 'target');
const stampFile = path.join(targetDir, 'gpow-source-stamp.tsv');

/** The tracked files of the checkout, with their content hash and modification time (ns). */
function trackedFiles() {
  const names = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\0')
    .filter(Boolean);
  return names.map((name) => {
    const file = path.join(root, name);
    const stat = fs.lstatSync(file, { bigint: true });
    const content = stat.isSymbolicLink() ? fs.readlinkSync(file) : fs.readFileSync(file);
    return { name, hash: crypto.createHash('sha256').update(content).digest('hex'), mtimeNs: stat.mtimeNs };
  });
}

function record() {
  const lines = trackedFiles().map((f) => `${f.hash}\t${f.mtimeNs}\t${f.name}`);
  const tmp = `${stampFile}.${process.pid}`;
  fs.mkdirSync(targetDir, { recursive: true });
  fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
  fs.renameSync(tmp, stampFile);
  console.log(`==> source stamp: ${lines.length} files recorded (${stampFile})`);
}

/** Why the stamp cannot be used for this checkout, or null when it can. */
function refusal(stamped, files) {
  if (stamped.size !== files.length) return `${files.length} tracked files, the stamp lists ${stamped.size}`;
  const differ = files.filter((f) => stamped.get(f.name)?.hash !== f.hash);
  if (differ.length) return `${differ.length} files differ from the stamped build (${differ.slice(0, 3).map((f) => f.name).join(', ')}...)`;
  // Anything cargo built after the stamp may come from other sources.
  const newer = execFileSync('find', [targetDir, '-path', '*/.fingerprint/*', '-newer', stampFile, '-print', '-quit'], { encoding: 'utf8' }).trim();
  if (newer) return `the target directory was built again after the stamp (${path.relative(targetDir, newer)})`;
  return null;
}

function restore() {
  if (!fs.existsSync(stampFile)) return console.log('==> source stamp: none yet; building as usual');
  const stamped = new Map(
    fs
      .readFileSync(stampFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [hash, mtimeNs, ...name] = line.split('\t');
        return [name.join('\t'), { hash, mtimeNs: BigInt(mtimeNs) }];
      }),
  );
  const files = trackedFiles();
  const why = refusal(stamped, files);
  if (why) return console.log(`==> source stamp not used: ${why}; building as usual`);
  for (const f of files) {
    // A millisecond earlier than recorded: never newer than what cargo saw, whatever the rounding.
    const seconds = Number(stamped.get(f.name).mtimeNs / 1000n) / 1e6 - 0.001;
    const file = path.join(root, f.name);
    if (fs.lstatSync(file).isSymbolicLink()) fs.lutimesSync(file, seconds, seconds);
    else fs.utimesSync(file, seconds, seconds);
  }
  console.log(`==> source stamp: the ${files.length} tracked files are those of the stamped build; their times restored`);
}

const commands = { record, restore };
const command = commands[process.argv[2]];
if (!command) {
  console.error('usage: node scripts/source-stamp.mjs record|restore');
  process.exit(2);
}
try {
  command();
} catch (e) {
  // Neither may fail a build or a test run: without a stamp, the next clone builds as usual.
  fs.rmSync(stampFile, { force: true });
  console.log(`==> source stamp: ${process.argv[2]} failed (${e.message}); the next clone builds as usual`);
}
