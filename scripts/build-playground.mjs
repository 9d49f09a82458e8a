// npm run playground:build: the playground (playground/) as a static page in dist/playground/:
//   index.html  the page (it works served, or opened as a file)
//   app.js      one classic script: the app and deltagraph's browser build (dist/esm), bundled by
//               esbuild — a classic script rather than a module, because browsers refuse module
//               scripts on file:// pages
//   style.css   every playground/*.css, in name order
// It builds the package first (skipped when dist/ is up to date), since the app imports the
// package's ES modules exactly as a user's bundler would.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'playground');
export const outdir = join(root, 'dist', 'playground');

export async function buildPlayground({ quiet = false } = {}) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: quiet ? 'ignore' : 'inherit' });
  const started = Date.now();
  const esbuild = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(source, 'main.ts')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    alias: { deltagraph: join(root, 'dist', 'esm', 'index.js') },
    logLevel: 'warning',
  });
  const css = readdirSync(source).filter((f) => f.endsWith('.css')).sort();
  writeFileSync(join(outdir, 'style.css'), css.map((f) => `/* ${f} */\n${readFileSync(join(source, f), 'utf8')}`).join('\n'));
  copyFileSync(join(source, 'index.html'), join(outdir, 'index.html'));
  if (!quiet) console.error(`built ${relative(process.cwd(), outdir)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPlayground();
}
