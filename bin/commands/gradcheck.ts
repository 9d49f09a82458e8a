import { checkOps, formatOpTable } from '../../check';
import { registry } from '../../ops';
import { UsageError, intFlag, parse } from '../args';

export const gradcheckHelp = `Usage: deltagraph gradcheck [op…] [--runs N] [--seed S]

Property-checks the named ops (all ${registry.length} registered ops by default) against float64
central differences, first and second order, with fast-check, and prints a table:
op, kind, cases, largest error, pass/fail. A failure shows the shrunk counterexample.

Options:
  --runs N    random cases per op and order (default 100)
  --seed S    fast-check seed (default: random)
  -h, --help  this text

Ops: ${registry.map((e) => e.name).join(' ')}`;

export function gradcheckCommand(argv: string[]): number {
  const { values, positionals } = parse('gradcheck', argv, { runs: { type: 'string' }, seed: { type: 'string' } });
  if (values.help) {
    console.log(gradcheckHelp);
    return 0;
  }
  const unknown = positionals.filter((p) => !registry.some((e) => e.name === p));
  if (unknown.length > 0) throw new UsageError(`gradcheck: unknown op ${unknown.join(', ')} (see deltagraph gradcheck --help for the list)`);
  const runs = intFlag('gradcheck', 'runs', values.runs, 100);
  const seed = values.seed === undefined ? undefined : intFlag('gradcheck', 'seed', values.seed, 0, 0);
  const tty = process.stdout.isTTY;
  const rows = checkOps(positionals, {
    runs,
    seed,
    onRow: (row, i, total) => tty && process.stdout.write(`\r  checking ${row.op.padEnd(20)} ${i + 1}/${total}\x1b[K`),
  });
  if (tty) process.stdout.write('\r\x1b[K');
  console.log(formatOpTable(rows));
  const failed = rows.filter((r) => !r.pass);
  console.log(`\n${rows.length - failed.length} of ${rows.length} ops pass`);
  for (const r of failed) console.log(`\n${r.op}:\n${r.failure}`);
  return failed.length === 0 ? 0 : 1;
}
