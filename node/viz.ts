/** deltagraph/viz for Node: the universal viz entry, with SVG rendering in a worker thread (and synchronously). */
export * from '../viz';
export { renderSvg, renderSvgSync } from './render';
