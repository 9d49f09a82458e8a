// Writing a generated source module, or (--check) confirming that the committed one is what its
// source makes now: shared by build-wasm.mjs and build-worker.mjs.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Writes `text` to `target`, or with --check exits 1 unless the file already holds it. */
export function writeOrCheck(target, text, source, regenerate) {
  const name = relative(process.cwd(), target);
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error(`${name} is not what ${source} makes now; run ${regenerate}`);
      process.exit(1);
    }
    console.log(`${name} matches ${source}`);
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${name}`);
  }
}
