/**
 * A formula's graph: the text box takes anything fromExpression accepts (mathjs syntax, the
 * library's ops), each of its variables gets a value (editable, as a number or nested arrays),
 * and the page draws the graph the formula records and the gradient of every tensor in it —
 * ∂(Σ output)/∂t, so a formula with a matrix value is differentiated as the sum of its elements.
 * Errors are the library's own messages (a syntax error, an unknown function, shapes that do
 * not fit), shown next to the box.
 */
import { Gradients, Tensor, ancestors, backward, describeGraph, fromExpression, ones, renderSvg, rng, tensor, toDot } from 'deltagraph';
import { escapeHtml, formatShape, norm, formatNumber, tensorTable } from './format';
import { showSvg } from './graph-panel';
import type { Panel, PlaygroundHost } from './host';
import { nameOf } from './tensor-names';

/** Widths of the default values: X as four rows of the training set, W [2, 3], b [3]. */
const DEFAULT_ROWS = 4;
const DEFAULT_UNITS = 3;

/** A value to start a variable with: the shapes that make X * W + b fit, a number otherwise. */
function defaultValue(name: string, host: PlaygroundHost): string {
  const random = rng(name.split('').reduce((h, c) => h * 31 + c.charCodeAt(0), 7) >>> 0);
  const round = (v: number) => Math.round(v * 100) / 100;
  const matrix = (rows: number, cols: number, value: (r: number, c: number) => number) =>
    JSON.stringify(Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => round(value(r, c)))));
  if (name === 'X') {
    const X = host.session().X;
    return matrix(Math.min(DEFAULT_ROWS, X.shape[0]!), 2, (r, c) => X.data[r * 2 + c]!);
  }
  if (name === 'W') return matrix(2, DEFAULT_UNITS, () => random.normal());
  if (name === 'b') return JSON.stringify(Array.from({ length: DEFAULT_UNITS }, () => round(random.normal())));
  return String(round(random.uniform() * 2 - 1));
}

/** The text of a variable's value as a tensor, or an error naming the variable. */
function parseValue(name: string, text: string): Tensor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the value of ${name} must be a number or nested arrays of numbers such as [[1, 2], [3, 4]], got ${JSON.stringify(text)}`);
  }
  try {
    const t = tensor(parsed as number);
    return new Tensor(t.data, t.shape, null, true);
  } catch (e) {
    throw new Error(`the value of ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function gradientRows(output: Tensor, variables: ReadonlyMap<Tensor, string>, grads: Gradients): string {
  const intermediates = ancestors(output, 'formula panel', 'enter the formula again').map((node) => node.output);
  const rows = [...variables.keys(), ...intermediates].map((t) => {
    const g = grads.get(t);
    const what = t === output ? `${nameOf(t, variables)} (the output)` : nameOf(t, variables);
    return `<tr><th scope="row">${escapeHtml(what)} <span class="shape">${formatShape(t.shape)}</span></th>` +
      `<td>${tensorTable(t)}</td><td>${tensorTable(g)}<div class="norm">‖·‖ = ${formatNumber(norm(g))}</div></td></tr>`;
  });
  return `<thead><tr><th scope="col">tensor</th><th scope="col">value</th><th scope="col">gradient ∂(Σ output)/∂t</th></tr></thead><tbody>${rows.join('')}</tbody>`;
}

export function mountFormulaPanel(root: HTMLElement, host: PlaygroundHost): Panel {
  root.innerHTML = `
    <form id="formula-form" class="formula-form" autocomplete="off">
      <label for="formula-input">Formula</label>
      <input id="formula-input" name="formula" type="text" spellcheck="false" aria-describedby="formula-help formula-error">
      <button type="submit">Draw</button>
    </form>
    <p id="formula-help" class="help">mathjs syntax: <code>*</code> is the matrix product between matrices, <code>.*</code> elementwise;
    functions such as sigmoid, tanh, relu, exp, log, sum, mean, softmax. Every other name is a variable.</p>
    <p id="formula-error" class="error" role="alert"></p>
    <fieldset id="formula-vars" class="formula-vars"><legend>Values of the variables</legend></fieldset>
    <div class="formula-result">
      <div id="formula-graph" class="graph-view" tabindex="0" role="img" aria-label="The formula's computational graph"></div>
      <table id="formula-grads" class="vjp"></table>
    </div>`;
  const form = root.querySelector<HTMLFormElement>('#formula-form')!;
  const input = root.querySelector<HTMLInputElement>('#formula-input')!;
  const error = root.querySelector<HTMLElement>('#formula-error')!;
  const vars = root.querySelector<HTMLFieldSetElement>('#formula-vars')!;
  const graph = root.querySelector<HTMLElement>('#formula-graph')!;
  const grads = root.querySelector<HTMLTableElement>('#formula-grads')!;
  /** The values entered, kept by name across formulas (a new variable starts at its default). */
  const values = new Map<string, string>();

  const showVariables = (symbols: readonly string[]) => {
    for (const name of symbols) {
      if (!values.has(name)) values.set(name, defaultValue(name, host));
    }
    vars.querySelectorAll('label').forEach((l) => l.remove());
    for (const name of symbols) {
      const label = document.createElement('label');
      label.textContent = `${name} = `;
      const box = document.createElement('textarea');
      box.id = `formula-var-${name}`;
      box.rows = 2;
      box.spellcheck = false;
      box.value = values.get(name)!;
      box.addEventListener('change', () => {
        values.set(name, box.value);
        void draw();
      });
      label.appendChild(box);
      vars.appendChild(label);
    }
  };

  const draw = async () => {
    const text = input.value;
    try {
      const f = fromExpression(text);
      showVariables(f.symbols);
      const leaves = new Map<Tensor, string>();
      const given: Record<string, Tensor> = {};
      for (const name of f.symbols) {
        const t = parseValue(name, values.get(name)!);
        leaves.set(t, name);
        given[name] = t;
      }
      const output = f(given);
      const gradients = backward(output, { gradient: ones(output.shape), retainGraph: true });
      const description = describeGraph(output, { names: leaves, gradients, values: true, outputLabel: text.length > 40 ? 'output' : text });
      showSvg(graph, await renderSvg(toDot(description, { direction: 'LR', gradientWidths: true })));
      grads.innerHTML = gradientRows(output, leaves, gradients);
      error.textContent = '';
      root.classList.remove('outdated');
      host.setConfig({ formula: text });
    } catch (e) {
      // The last good graph stays, dimmed, until the formula is fixed.
      error.textContent = e instanceof Error ? e.message : String(e);
      root.classList.add('outdated');
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void draw();
  });
  input.value = host.config().formula;
  void draw();

  return {
    refresh(): void {
      // The formula is its own computation: training does not change it. A link may.
      if (host.config().formula !== input.value && document.activeElement !== input) {
        input.value = host.config().formula;
        void draw();
      }
    },
  };
}
