/**
 * Interop: models in from and out to the formats other engines read — PyTorch's state-dict names
 * and layouts, safetensors files, and ONNX graphs (imported as differentiable modules, exported
 * for ONNX Runtime).
 */
export { DataType as OnnxDataType } from './onnx/data-types';
export { fromOnnx, OnnxModel, onnxImportableOperators } from './onnx/import';
export type { OnnxTrace, OnnxValueInfo } from './onnx/import';
export { toOnnx, onnxExportableOps } from './onnx/export';
export type { ToOnnxOptions, OnnxExportable } from './onnx/export';
export * from './safetensors';
