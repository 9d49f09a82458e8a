/**
 * DOT to SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no system binary.
 * The package is an ES module with an asynchronous loader, so this is asynchronous; it is loaded
 * on the first call and kept. This is the universal version (browsers, workers, bundlers); the
 * Node entry replaces it with one that runs Graphviz in a worker thread and adds renderSvgSync.
 */
import { DeltaGraphError, describe } from '../lib';

/** A failure to lay out a graph: a DOT syntax error, or the Graphviz package missing. */
export class RenderError extends DeltaGraphError {}

interface Graphviz {
  dot(dot: string): string;
}

let graphviz: Promise<Graphviz> | null = null;

function load(): Promise<Graphviz> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then(
    (m) => m.Graphviz.load(),
    (e: unknown) => {
      graphviz = null;
      throw new RenderError(`renderSvg: the package '@hpcc-js/wasm-graphviz' (Graphviz as WebAssembly) could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  return graphviz;
}

/** Lays out DOT text with Graphviz's dot engine and returns the SVG document. */
export async function renderSvg(dot: string): Promise<string> {
  if (typeof dot !== 'string') throw new RenderError(`renderSvg: expected DOT text, got ${describe(dot)}`);
  const engine = await load();
  try {
    return engine.dot(dot);
  } catch (e) {
    throw new RenderError(`renderSvg: Graphviz could not lay out the graph: ${String(e instanceof Error ? e.message : e).trim()}`);
  }
}
