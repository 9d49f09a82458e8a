/**
 * The net's computational graph as the slides draw it: ops as nodes, tensors as edges labelled
 * with their shapes and ‖∂L/∂t‖, layers boxed, Σ where a tensor's gradients are summed over
 * paths — and each edge as wide as its gradient is large (log scale), so that where the gradient
 * flows, and where it vanishes, shows at a glance. Laid out by Graphviz (WebAssembly) in the page.
 */
import { backward, describeGraph, moduleGroups, renderSvg, toDot } from 'deltagraph';
import { widthsOf } from './config';
import type { Panel, Session } from './host';
import { tensorNames } from './tensor-names';

/** The event the graph view fires after each new picture. */
export const GRAPH_DRAWN = 'graph-drawn';

/** The SVG text of the session's graph over the whole training set, with the current gradients. */
export async function graphSvg(session: Session): Promise<string> {
  const graph = session.lossGraph();
  const gradients = backward(graph.loss, { retainGraph: true });
  const description = describeGraph(graph.loss, {
    names: tensorNames(session, graph),
    paths: session.model.namedParameters(),
    gradients,
    groups: moduleGroups(session.model),
    outputLabel: 'L',
  });
  return renderSvg(toDot(description, { direction: 'LR', gradientWidths: true, showIds: true }));
}

/** Puts Graphviz's SVG document into `view` (its <svg> element; the XML prologue is dropped). */
export function showSvg(view: HTMLElement, svg: string): void {
  const start = svg.indexOf('<svg');
  view.innerHTML = start < 0 ? svg : svg.slice(start);
}

export function mountGraphPanel(root: HTMLElement): Panel {
  root.innerHTML = `
    <p class="explain">One forward pass over the training set, with the gradients of the backward pass that follows it.
    Edges are tensors, labelled with their shape and ‖∂L/∂t‖; the wider an edge, the larger its gradient (each decade below
    the largest is one step thinner). A Σ marks a tensor used twice: its gradients are added there.</p>
    <div class="buttons"><button id="graph-zoom" type="button" aria-pressed="false">Actual size</button></div>
    <div id="graph-view" class="graph-view fit" tabindex="0" role="img" aria-label="The net's computational graph"></div>
    <p class="note" id="graph-note"></p>`;
  const view = root.querySelector<HTMLElement>('#graph-view')!;
  const note = root.querySelector<HTMLElement>('#graph-note')!;
  // Fitted to the panel's width the whole net shows at once; at actual size the labels read best.
  const zoom = root.querySelector<HTMLButtonElement>('#graph-zoom')!;
  zoom.addEventListener('click', () => {
    const actual = view.classList.toggle('fit') === false;
    zoom.setAttribute('aria-pressed', String(actual));
  });
  let drawing = false;
  return {
    async refresh(session: Session): Promise<void> {
      // A layout still running when training asks again is left to finish: one is enough.
      if (drawing) return;
      drawing = true;
      try {
        const started = performance.now();
        showSvg(view, await graphSvg(session));
        // The step-through marks its current node in this picture: a new picture needs the mark again.
        view.dispatchEvent(new Event(GRAPH_DRAWN));
        view.setAttribute('aria-label', `The computational graph of the net ${widthsOf(session.config).join('-')} after ${session.steps} steps`);
        note.textContent = `After step ${session.steps}; laid out in ${(performance.now() - started).toFixed(0)} ms. Hover a node or an edge for its details.`;
      } finally {
        drawing = false;
      }
    },
  };
}
