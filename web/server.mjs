// A tiny static server for the bundled dapp (dist/): no dependencies, 127.0.0.1 only by default.
// The page's default node is set here, in index.html's <meta name="gpow-node">.
//
//   node server.mjs [--port 8080] [--host 127.0.0.1] [--node ws://127.0.0.1:9944]

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    node: { type: 'string', default: 'ws://127.0.0.1:9944' },
  },
});
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
if (!fs.existsSync(path.join(root, 'app.js'))) {
  console.error(`web: ${root}/app.js is missing: run node build.mjs first (scripts/web.sh does)`);
  process.exit(1);
}
const escaped = values.node.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
const index = fs
  .readFileSync(path.join(root, 'index.html'), 'utf8')
  .replace(/(<meta name="gpow-node" content=")[^"]*(")/, `$1${escaped}$2`);

const server = http.createServer((req, res) => {
  const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(root, path.normalize(pathname === '/' ? '/index.html' : pathname));
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
  } else if (file === path.join(root, 'index.html')) {
    res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }).end(index);
  } else if (!file.startsWith(root + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    res.writeHead(404, { 'content-type': TYPES['.txt'] }).end('not found\n');
  } else {
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  }
});
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  console.log(`web: the GPoW dapp on http://${values.host}:${port}/ (default node ${values.node})`);
});
