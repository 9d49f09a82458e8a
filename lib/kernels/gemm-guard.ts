/**
 * The hook the gemm kernels call before they grow a workspace (packed panels, WebAssembly memory).
 * The calling thread's kernel door (backend.ts) sets it to check the memory budget; worker threads
 * leave it unset and compute their share unchecked, since the calling thread checked the product.
 * It imports nothing, so that the bundled browser worker stays free of the budget and the errors.
 */
export interface WorkspaceGuard {
  /** Throws when `bytes` for the workspace `what` of an m×n product of depth k may not be allocated. */
  check(what: string, m: number, n: number, k: number, bytes: number): void;
  /** The error to throw when the engine refused to grow WebAssembly memory by a RangeError. */
  refused(error: RangeError, m: number, n: number, k: number, bytes: number): Error;
}

let guard: WorkspaceGuard | null = null;

/** Sets (or with null clears) the guard of this thread. */
export function setWorkspaceGuard(next: WorkspaceGuard | null): void {
  guard = next;
}

/** The guard of this thread, or null. */
export function workspaceGuard(): WorkspaceGuard | null {
  return guard;
}
