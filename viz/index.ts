/** Pictures of graphs and of training: the graph as JSON, DOT and SVG, and training curves as SVG. */
export { describeGraph } from './graph-export';
export type { DescribeOptions, GraphDescription, NodeGroup, TensorNames, VizEdge, VizJoin, VizNode, VizNodeKind } from './graph-export';
export { moduleGroups, mlpTensorNames } from './module-groups';
export type { MLPNotation } from './module-groups';
export { toDot } from './dot';
export type { DotOptions, LayerStyle } from './dot';
export { renderSvg, RenderError } from './render';
export type { ValueSummary } from './summaries';
export { lineChartSvg, historyChartSvg } from './line-chart';
export type { ChartPanel, ChartSeries, HistoryChartOptions, LineChartOptions } from './line-chart';
