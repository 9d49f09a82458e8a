/**
 * The harness of the error fuzz specs: showing any argument in a failure message, and running a
 * call that must return normally or throw a DeltaGraphError subclass naming the callee.
 */
import { DeltaGraphError, Rng, Tensor } from '../../index';

/** Shows an argument in a failure message, whatever it is; `custom` renders a spec's own kinds. */
export function show(v: unknown, custom?: (v: unknown) => string | undefined, depth = 0): string {
  const own = custom?.(v);
  if (own !== undefined) return own;
  const inner = (x: unknown) => show(x, custom, depth + 1);
  if (v instanceof Tensor) {
    const values = Array.from(v.data.slice(0, 8)).join(', ') + (v.size > 8 ? ', …' : '');
    return `Tensor(shape=[${v.shape.join(', ')}], data=[${values}]${v.requiresGrad ? ', requiresGrad' : ''})`;
  }
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return `function ${v.name || '(anonymous)'}`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Rng) return 'Rng';
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<number>;
    return `${v.constructor.name}(${Array.from({ length: Math.min(a.length, 10) }, (_, i) => a[i]).join(', ')}${a.length > 10 ? ', …' : ''})`;
  }
  if (Array.isArray(v)) {
    if (depth > 4) return '[…]';
    const items: string[] = [];
    for (let i = 0; i < Math.min(v.length, 10); i++) items.push(i in v ? inner(v[i]) : '<hole>');
    return `[${items.join(', ')}${v.length > 10 ? ', …' : ''}]`;
  }
  if (v !== null && typeof v === 'object') {
    if (depth > 4) return '{…}';
    if (Object.getPrototypeOf(v) === null) return 'Object.create(null)';
    const entries = Object.entries(v).map(([k, x]) => `${k}: ${inner(x)}`);
    return `${v.constructor?.name ?? 'Object'} {${entries.join(', ')}}`;
  }
  return String(v);
}

/**
 * Runs one call of `name` with `args`: it must return (and pass `validate`) or throw a subclass of
 * DeltaGraphError whose message contains one of `names`; anything else fails with the arguments.
 */
export function expectSane(
  name: string,
  names: readonly string[],
  args: readonly unknown[],
  call: () => unknown,
  validate?: (r: unknown) => void,
  custom?: (v: unknown) => string | undefined,
): void {
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    const shown = show(args, custom);
    if (!(e instanceof DeltaGraphError)) {
      const what = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : show(e, custom);
      throw new Error(`${name}(${shown}) threw a non-DeltaGraphError ${what}`);
    }
    if (e.constructor === DeltaGraphError) throw new Error(`${name}(${shown}) threw the base DeltaGraphError, expected a subclass: ${e.message}`);
    if (!names.some((n) => e.message.includes(n))) {
      throw new Error(`${name}(${shown}) threw ${e.name} whose message does not name ${names.join(' or ')}: ${e.message}`);
    }
    return;
  }
  validate?.(result);
}
