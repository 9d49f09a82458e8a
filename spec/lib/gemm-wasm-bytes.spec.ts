/** The kernel bytes the package carries (lib/kernels/gemm-wasm-bytes.ts) are the compiled assembly/gemm.ts. */
import { execFileSync } from 'child_process';
import { join } from 'path';

it('lib/kernels/gemm-wasm-bytes.ts is what AssemblyScript makes of assembly/gemm.ts (npm run build:wasm regenerates it)', () => {
  const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toContain('matches');
}, 60_000);
