/**
 * Every layer's delta Δˡ = ∂L/∂Zˡ, one row per example, as the backward pass of the current net
 * gives it over the whole training set — beside the slides' compact formulas for it (and for the
 * weight gradients), evaluated independently (delta-formulas.ts), with how closely they agree.
 */
import { Tensor, backward } from 'deltagraph';
import { compactDeltas, DERIVATIVE_TEXT, largestDifference, OUTPUT_DELTA_TEXT } from './delta-formulas';
import { escapeHtml, formatNumber, formatShape } from './format';
import type { Panel, Session } from './host';

/** Examples shown per layer: enough to see the pattern, few enough to read. */
const SHOWN_EXAMPLES = 8;

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sup = (k: number) => String(k).replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)]!);

function deltaTable(delta: Tensor, layer: number): string {
  const [n, units] = delta.shape as [number, number];
  const rows = Math.min(n, SHOWN_EXAMPLES);
  const head = Array.from({ length: units }, (_, j) => `<th scope="col">unit ${j + 1}</th>`).join('');
  const body: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = Array.from({ length: units }, (_, j) => {
      const v = delta.data[r * units + j]!;
      return `<td data-layer="${layer}" data-example="${r}" data-unit="${j}" data-value="${v}">${formatNumber(v)}</td>`;
    }).join('');
    body.push(`<tr><th scope="row">${r + 1}</th>${cells}</tr>`);
  }
  const caption = `Δ${sup(layer)} ${formatShape(delta.shape)}${rows < n ? `: the first ${rows} of ${n} examples` : ''}`;
  return `<table class="deltas"><caption>${caption}</caption><thead><tr><th scope="col">example</th>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

export function mountDeltaPanel(root: HTMLElement): Panel {
  root.innerHTML = `
    <p class="explain">Δˡ = ∂L/∂Zˡ is the gradient of the loss with respect to layer l's pre-activation Zˡ = Aˡ⁻¹ Wˡ + bˡ
    (A⁰ = X), one row per example. The backward pass computes it on the way to the weights; the slides' compact formulas give it
    directly. Both are shown, and how far apart they are.</p>
    <div id="delta-table" class="delta-layers"></div>`;
  const table = root.querySelector<HTMLElement>('#delta-table')!;
  return {
    refresh(session: Session): void {
      const graph = session.lossGraph();
      const grads = backward(graph.loss);
      const model = session.model;
      const deltas = model.deltas(grads);
      const linears = model.linears();
      const loss = session.logits ? 'bce' : 'mse';
      const compact = compactDeltas({ X: graph.X, y: graph.y, W: linears.map((l) => l.W), Z: model.preActivations(), activation: session.config.activation, loss });
      const L = deltas.length;
      table.innerHTML = deltas
        .map((delta, i) => {
          const l = i + 1;
          const formula = l === L ? OUTPUT_DELTA_TEXT[loss].replace(/ᴸ/g, sup(l)) : `Δ${sup(l)} = (Δ${sup(l + 1)} · W${sup(l + 1)}ᵀ) ⊙ ${DERIVATIVE_TEXT[session.config.activation].replace(/ˡ/g, sup(l))}`;
          const c = compact[i]!;
          const agree = [
            ['Δ', largestDifference(c.delta, delta.data)],
            ['∂L/∂W', largestDifference(c.weightGrad, grads.get(linears[i]!.W).data)],
            ['∂L/∂b', largestDifference(c.biasGrad, grads.get(linears[i]!.b!).data)],
          ] as const;
          return `<section class="delta-layer" aria-label="Layer ${l}">
            <h3>Layer ${l}${l === L ? ' (output)' : ''}</h3>
            <p class="formula"><code>${escapeHtml(formula)}</code><br><code>∂L/∂W${sup(l)} = A${sup(l - 1)}ᵀ · Δ${sup(l)}, ∂L/∂b${sup(l)} = Σ rows of Δ${sup(l)}</code></p>
            ${deltaTable(delta, l)}
            <p class="agreement">Formula vs graph, largest |difference|: ${agree.map(([what, d]) => `${what}${sup(l)} ${formatNumber(d)}`).join(', ')}</p>
          </section>`;
        })
        .join('');
    },
  };
}
