// Bundles the dapp with esbuild: src/main.mjs and everything it imports (@polkadot/api, @gpow/api,
// the extension bridge) into dist/app.js, next to copies of public/. Nothing is fetched at run time.
//
//   node build.mjs            # dist/ for scripts/web.sh and server.mjs

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
fs.cpSync(path.join(here, 'public'), dist, { recursive: true });
const result = await esbuild.build({
  entryPoints: [path.join(here, 'src', 'main.mjs')],
  outfile: path.join(dist, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(`web: bundled dist/app.js (${(bytes / 1024).toFixed(0)} KiB)`);
