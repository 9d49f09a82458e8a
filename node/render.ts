/**
 * DOT to SVG in Node with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz).
 *
 * The package is an ES module whose loader is asynchronous, so the layout runs in a worker
 * thread that imports it natively. This works the same under ts-node, jest and plain Node, and
 * lets the command line, whose commands are synchronous, wait for the picture with
 * `renderSvgSync` (the main thread sleeps on a shared flag until the worker answers).
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import { pathToFileURL } from 'url';
import { ArgumentError, describe } from '../lib';
import { RenderError } from '../viz/render';

interface Reply {
  svg?: string;
  error?: string;
}

/**
 * The worker: imports the package, lays out the DOT text, posts { svg } or { error }, then raises
 * the shared flag for a synchronous caller. Plain JavaScript, so it needs no compiler.
 */
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { url, dot, port, flag } = workerData;
(async () => {
  let reply;
  try {
    const { Graphviz } = await import(url);
    const graphviz = await Graphviz.load();
    reply = { svg: graphviz.dot(dot) };
  } catch (e) {
    reply = { error: String((e && e.message) || e).trim() };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
})();
`;

function packageUrl(who: string): string {
  try {
    return pathToFileURL(require.resolve('@hpcc-js/wasm-graphviz')).href;
  } catch {
    throw new RenderError(`${who}: the package '@hpcc-js/wasm-graphviz' (Graphviz as WebAssembly) is not installed; run npm ci`);
  }
}

function start(who: string, dot: string): { worker: Worker; port: MessagePortLike; flag: Int32Array } {
  if (typeof dot !== 'string') throw new RenderError(`${who}: expected DOT text, got ${describe(dot)}`);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url: packageUrl(who), dot, port: port2, flag }, transferList: [port2] });
  return { worker, port: port1, flag };
}

type MessagePortLike = MessageChannel['port1'];

function unwrap(who: string, reply: Reply | undefined): string {
  if (reply?.svg !== undefined) return reply.svg;
  throw new RenderError(`${who}: Graphviz could not lay out the graph: ${reply?.error ?? 'no answer from the worker'}`);
}

/** Lays out DOT text with Graphviz's dot engine and returns the SVG document. */
export async function renderSvg(dot: string): Promise<string> {
  const { worker, port } = start('renderSvg', dot);
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      port.once('message', (m: Reply) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => resolve({ error: `the worker stopped with code ${code}` }));
    });
    return unwrap('renderSvg', reply);
  } finally {
    port.close();
    await worker.terminate();
  }
}

/**
 * The same as renderSvg, but blocking until the SVG is ready (for synchronous callers such as
 * the command line). Gives up with a RenderError after `timeoutMs`.
 */
export function renderSvgSync(dot: string, timeoutMs = 60_000): string {
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2 ** 31 - 1) {
    throw new ArgumentError(`renderSvgSync: timeoutMs must be a number of milliseconds in (0, ${2 ** 31 - 1}], got ${describe(timeoutMs)}`);
  }
  const { worker, port, flag } = start('renderSvgSync', dot);
  try {
    if (Atomics.wait(flag, 0, 0, timeoutMs) === 'timed-out') {
      throw new RenderError(`renderSvgSync: Graphviz did not finish within ${timeoutMs} ms`);
    }
    return unwrap('renderSvgSync', receiveMessageOnPort(port)?.message as Reply | undefined);
  } finally {
    port.close();
    void worker.terminate();
  }
}
