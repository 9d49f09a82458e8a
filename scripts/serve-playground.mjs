// npm run playground: builds the playground and serves dist/playground/ on localhost, printing
// its URL. PORT chooses the port (default 8080; the next free one is taken when it is busy; 0
// lets the system choose).
// The page is served cross-origin isolated (COOP/COEP), which lets the kernels share memory
// with workers; it works without, and opened as a file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { buildPlayground } from './build-playground.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const dir = await buildPlayground({ quiet: true });
const server = createServer((request, response) => {
  let path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(dir, path));
  if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cache-control': 'no-cache',
  }).end(readFileSync(file));
});

function listen(port, triesLeft) {
  server.once('error', (e) => {
    if (e.code === 'EADDRINUSE' && triesLeft > 0) listen(port + 1, triesLeft - 1);
    else {
      console.error(`playground: cannot listen on port ${port}: ${e.message}`);
      process.exit(1);
    }
  });
  server.listen(port, '127.0.0.1', () => console.log(`deltagraph playground: http://localhost:${server.address().port}/  (Ctrl+C stops)`));
}

listen(Number(process.env.PORT ?? 8080), 20);
