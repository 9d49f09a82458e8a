/** What the package carries as generated modules is what its sources make: the kernel bytes and the browser worker script. */
import { execFileSync } from 'child_process';
import { join } from 'path';

it('lib/kernels/gemm-wasm-bytes.ts is what AssemblyScript makes of assembly/gemm.ts (npm run build:wasm regenerates it)', () => {
  const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toContain('matches');
}, 60_000);

it('lib/kernels/gemm-web-worker-source.ts is the bundled browser worker (npm run build:wasm regenerates it)', () => {
  const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-worker.mjs'), '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toContain('matches');
}, 60_000);
