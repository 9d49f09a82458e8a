/**
 * The parts of the WebAssembly JavaScript API that the kernels use. Node provides WebAssembly as a
 * global; TypeScript declares it only in the DOM library, which this project does not load.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function compile(bytes: Uint8Array): Promise<Module>;
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
