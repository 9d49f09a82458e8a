/**
 * One backward pass, one node at a time: the walk (backward-walk.ts) of the current net's loss
 * over the training set, shown in reverse topological order. Each step shows the op with its
 * forward formula and VJP rule, the gradient Ḡ arriving at its output, and what the VJP hands
 * each input — and, at a join, the gradient the input held already, the new share and their sum.
 * The node being visited is highlighted in the graph panel's picture.
 */
import type { Tensor } from 'deltagraph';
import { BackwardWalk, InputStep, NodeStep, walkBackward } from './backward-walk';
import { GRAPH_DRAWN } from './graph-panel';
import { escapeHtml, formatNumber, formatShape, norm, tensorTable as fullTable } from './format';

/** Rows of a tensor shown: all eight of XOR's examples. */
const ROWS = 8;
const tensorTable = (t: Tensor) => fullTable(t, ROWS);
import type { Panel, PlaygroundHost, Session } from './host';
import { nameOf, tensorNames } from './tensor-names';
import { ruleOf } from './vjp-rules';

interface Walked {
  walk: BackwardWalk;
  names: Map<Tensor, string>;
  steps: number;
}

function inputRow(input: InputStep, slot: number, names: ReadonlyMap<Tensor, string>): string {
  const name = escapeHtml(nameOf(input.tensor, names));
  const head = `<th scope="row">input ${slot}: ${name} <span class="shape">${formatShape(input.tensor.shape)}</span></th>`;
  if (!input.needed || input.share === null) return `<tr>${head}<td colspan="3" class="muted">takes no gradient (data or a constant, not a parameter)</td></tr>`;
  const share = `<td>${tensorTable(input.share)}<div class="norm">‖·‖ = ${formatNumber(norm(input.share))}</div></td>`;
  if (input.before === null) return `<tr>${head}${share}<td colspan="2" class="muted">first gradient to reach ${name}</td></tr>`;
  return `<tr class="join">${head}${share}` +
    `<td><div class="sum-label">Σ: held before</div>${tensorTable(input.before)}</td>` +
    `<td><div class="sum-label">Σ: ∂L/∂${name} = before + this</div>${tensorTable(input.after!)}<div class="norm">‖·‖ = ${formatNumber(norm(input.after!))}</div></td></tr>`;
}

function stepHtml(step: NodeStep, index: number, total: number, names: ReadonlyMap<Tensor, string>): string {
  const { node } = step;
  const rule = ruleOf(node.op.name);
  const out = escapeHtml(nameOf(node.output, names));
  const formula = rule === null ? '' : `<p class="rule"><span>forward</span> <code>${escapeHtml(rule.forward)}</code> <span>VJP</span> <code>${escapeHtml(rule.vjp)}</code></p>`;
  return `
    <p id="step-index" class="step-index">step ${index + 1} of ${total}</p>
    <h3 class="step-title"><code id="step-op">${escapeHtml(node.op.name)}</code> <span class="muted">node #${node.id}, making ${out} ${formatShape(node.output.shape)}</span></h3>
    ${formula}
    <table class="vjp">
      <thead><tr><th scope="col">tensor</th><th scope="col">VJP result (this node's share)</th><th scope="col" colspan="2">sum over paths</th></tr></thead>
      <tbody>
        <tr class="upstream"><th scope="row">Ḡ = ∂L/∂${out} <span class="shape">${formatShape(step.upstream.shape)}</span></th><td colspan="3">${tensorTable(step.upstream)}<div class="norm">‖·‖ = ${formatNumber(norm(step.upstream))}, complete: every consumer of ${out} has been visited</div></td></tr>
        ${step.inputs.map((input, i) => inputRow(input, i, names)).join('')}
      </tbody>
    </table>`;
}

/**
 * Marks, in the graph panel's picture, the op at `position` in topological order (or none). The
 * picture was drawn from another recording of the same net, so its node ids differ but its ops
 * come in the same order (Graphviz titles each op node n<id>).
 */
function highlight(position: number): void {
  const ops = [...document.querySelectorAll('#graph-view g.node')]
    .map((g) => ({ g, id: /^n(\d+)$/.exec(g.querySelector('title')?.textContent ?? '')?.[1] }))
    .filter((o): o is { g: Element; id: string } => o.id !== undefined)
    .sort((a, b) => Number(a.id) - Number(b.id));
  ops.forEach((o, i) => o.g.classList.toggle('current', i === position));
}

export function mountStepThroughPanel(root: HTMLElement, host: PlaygroundHost): Panel {
  root.innerHTML = `
    <p class="explain">Pauses training and records one forward pass; then visits its nodes from the loss back to the
    weights, each once every consumer of its output has been visited. Each VJP turns the gradient of the node's output into one
    for each input; where a tensor feeds two ops, the two shares are added.</p>
    <div class="buttons" role="group" aria-label="Backward pass">
      <button id="step-start" type="button">Walk one backward pass</button>
      <button id="step-prev" type="button" disabled>Previous node</button>
      <button id="step-next" type="button" disabled>Next node</button>
    </div>
    <div id="step-view" class="step-view" aria-live="polite"></div>`;
  const view = root.querySelector<HTMLElement>('#step-view')!;
  const prev = root.querySelector<HTMLButtonElement>('#step-prev')!;
  const next = root.querySelector<HTMLButtonElement>('#step-next')!;
  let walked: Walked | null = null;
  let index = 0;

  const show = () => {
    if (walked === null) return;
    const { steps } = walked.walk;
    if (steps.length === 0) {
      view.innerHTML = '<p>The loss does not depend on any op: there is nothing to walk.</p>';
      return;
    }
    view.innerHTML = stepHtml(steps[index]!, index, steps.length, walked.names);
    prev.disabled = index === 0;
    next.disabled = index === steps.length - 1;
    highlight(steps.length - 1 - index);
  };

  root.querySelector<HTMLButtonElement>('#step-start')!.addEventListener('click', () => {
    host.pause();
    const session = host.session();
    const graph = session.lossGraph();
    walked = { walk: walkBackward(graph.loss), names: tensorNames(session, graph), steps: session.steps };
    index = 0;
    show();
  });
  document.getElementById('graph-view')?.addEventListener(GRAPH_DRAWN, () => {
    if (walked !== null && walked.walk.steps.length > 0) highlight(walked.walk.steps.length - 1 - index);
  });
  prev.addEventListener('click', () => {
    index = Math.max(0, index - 1);
    show();
  });
  next.addEventListener('click', () => {
    index = Math.min((walked?.walk.steps.length ?? 1) - 1, index + 1);
    show();
  });

  return {
    refresh(session: Session): void {
      // A walk belongs to the weights it was recorded with: after training on, it is stale.
      if (walked !== null && walked.steps !== session.steps) {
        const note = view.querySelector('.stale') ?? view.appendChild(document.createElement('p'));
        note.className = 'stale';
        note.textContent = `This walk was recorded after step ${walked.steps}; the net is now at step ${session.steps}. Walk again to see the current pass.`;
      }
    },
  };
}
