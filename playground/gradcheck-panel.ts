/**
 * The gradient-check panel: on request it compares the backward pass of the current net with
 * central differences (gradcheck-runner.ts: checkNet), then property-checks every op of the
 * library one at a time (checkOpsStepwise), filling a table row by row with a progress bar, so
 * that the page stays responsive. Training is paused first: the check is of the weights shown.
 */
import type { OpCheckRow } from 'deltagraph';
import type { Panel, PlaygroundHost, Session } from './host';
import { NetCheckRow, checkNet, checkOpsStepwise, checkedOpNames } from './gradcheck-runner';

/** Random cases per op and order: enough to exercise shapes and values, few enough that every op is done in seconds. */
const RUNS_PER_OP = 20;

/** As formatOpTable's columns, with the net's parameters in the same table. */
const COLUMNS = ['Checked', 'Shape or kind', 'Cases', 'Max error (1st)', 'Max error (2nd)', 'Result'];

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

/** An error for the table: two significant digits, 0 as itself. */
function formatError(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}

function row(cells: string[], ok: boolean): HTMLTableRowElement {
  const tr = element('tr', undefined, ok ? undefined : 'fail');
  for (const text of cells) tr.append(element('td', text));
  const result = element('td', ok ? 'pass' : 'FAIL', ok ? 'pass' : 'fail');
  tr.append(result);
  return tr;
}

function netRow(r: NetCheckRow): HTMLTableRowElement {
  // Full mode compares every element of the gradient; dot mode one random direction.
  const cases = r.mode === 'full' ? String(r.shape.reduce((a, b) => a * b, 1)) : '1 direction';
  const tr = row([r.name, `[${r.shape.join(', ')}]`, cases, formatError(r.absError), '–'], r.ok);
  tr.title = `worst element: backward pass ${r.analytic}, central difference ${r.numeric}`;
  return tr;
}

function opRow(r: OpCheckRow): HTMLTableRowElement {
  const tr = row([r.op, r.kind, String(r.cases), formatError(r.firstOrderError), formatError(r.secondOrderError)], r.pass);
  if (r.failure !== undefined) tr.title = r.failure;
  return tr;
}

/** A group of body rows headed by one cell across the table. */
function group(title: string): HTMLTableSectionElement {
  const body = element('tbody');
  const head = element('tr', undefined, 'group');
  const th = element('th', title);
  th.scope = 'rowgroup';
  th.colSpan = COLUMNS.length;
  head.append(th);
  body.append(head);
  return body;
}

export function mountGradcheckPanel(root: HTMLElement, host: PlaygroundHost): Panel {
  root.classList.add('gradcheck');
  const intro = element(
    'p',
    'Two checks of the gradients, run here in the page. First the net: for each weight matrix and bias, the gradient of the loss over the whole training set from the backward pass is compared with central differences, (L(θ + ε) − L(θ − ε)) / 2ε in float64, element by element. Then every op of the library: its vector-Jacobian product, and the derivative of that (the second order), on random shapes and values.',
  );
  const note = element('p', undefined, 'help');
  const button = element('button', 'Check the gradients');
  button.id = 'gradcheck-run';
  button.type = 'button';
  const progress = element('progress');
  progress.id = 'gradcheck-progress';
  progress.max = 1;
  progress.value = 0;
  progress.setAttribute('aria-label', 'Progress of the gradient check');
  const progressText = element('span', 'Not run yet.', 'gradcheck-progress-text');
  const controls = element('div', undefined, 'gradcheck-controls');
  controls.append(button, progress, progressText);

  const table = element('table');
  table.id = 'gradcheck-table';
  const caption = element(
    'caption',
    "Max error: for a parameter, |backward pass − central difference| at its worst element; for an op, the largest |analytic − numeric| / (1 + |numeric|) over its random cases, of the first derivative (1st) and of the second (2nd). An entry passes when it is within gradcheck's tolerance (1e-5 + 1e-4 × |numeric|).",
  );
  const head = element('thead');
  const headRow = element('tr');
  for (const name of COLUMNS) {
    const th = element('th', name);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  table.append(caption, head);
  // The table scrolls inside its box; the box takes the focus so that the keyboard can scroll it too.
  const scroller = element('div', undefined, 'gradcheck-scroll');
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', 'Results of the gradient check');
  scroller.append(table);
  root.append(intro, controls, note, scroller);

  /** The net that the parameter rows were computed for, and at which step. */
  let checked: { session: Session; steps: number } | null = null;
  let running = false;

  async function run(): Promise<void> {
    // Disabled before anything else, so that a second click cannot start a second run.
    running = true;
    button.disabled = true;
    host.pause();
    for (const body of Array.from(table.tBodies)) body.remove();
    note.textContent = '';
    const session = host.session();
    const ops = checkedOpNames().length;
    progress.max = ops + 1;
    progress.value = 0;
    progressText.textContent = "the net's parameters";
    try {
      // Let the page draw the cleared table and the progress before the first computation.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      const netRows = checkNet(session);
      checked = { session, steps: session.steps };
      const netBody = group(`The net's parameters, at step ${session.steps}`);
      for (const r of netRows) netBody.append(netRow(r));
      table.append(netBody);
      progress.value = 1;
      const opBody = group(`The ops, ${RUNS_PER_OP} random cases each per order`);
      table.append(opBody);
      const opRows = await checkOpsStepwise(RUNS_PER_OP, (r, i, total) => {
        opBody.append(opRow(r));
        progress.value = i + 2;
        progressText.textContent = `op ${i + 1} of ${total}`;
      });
      const bad = netRows.filter((r) => !r.ok).length + opRows.filter((r) => !r.pass).length;
      const summary = `${netRows.length} parameters and ${opRows.length} ops checked: ${bad === 0 ? 'every one passes' : `${bad} FAIL`}.`;
      progressText.textContent = summary;
      host.status(`Gradient check: ${summary}`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      progressText.textContent = 'Stopped by an error.';
      host.status(`The gradient check stopped: ${message}`);
    } finally {
      running = false;
      button.disabled = false;
    }
  }

  button.addEventListener('click', () => {
    if (!running) void run();
  });

  return {
    refresh(session: Session): void {
      if (checked === null) return;
      const stale = checked.session !== session || checked.steps !== session.steps;
      const text = stale ? `The parameter rows are for the net at step ${checked.steps}${checked.session !== session ? ' of an earlier session' : ''}; check again for the current weights.` : '';
      if (note.textContent !== text) note.textContent = text;
    },
  };
}
