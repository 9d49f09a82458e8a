/**
 * fromExpression against mathjs as an independent symbolic oracle. On random scalar formulas in x
 * and y, deltagraph's value, gradient and second derivatives of the parsed formula equal mathjs's
 * own evaluation and symbolic `derivative` of the same formula. The formula is written twice: once
 * in the full language of fromExpression (sigmoid, softplus, .* ./ .^, implicit multiplication,
 * norm(·)^2, reductions and transposes of scalars…), once in the plain functions mathjs can
 * differentiate (sigmoid(u) as 1 / (1 + exp(-u)), softplus(u) as log(1 + exp(u)), …).
 */
import fc from 'fast-check';
import { derivative, parse } from 'mathjs';
import { Tensor, fromExpression, grad, tensor } from '../../index';

const RUNS = 100;
const REL_TOL = 1e-8;
/** Points where a sub-formula exceeds this are skipped: 1e-8 relative accuracy cannot survive cancellation between huge terms. */
const MAX_MAGNITUDE = 1e4;

/** A formula tree. Functions with a restricted domain only ever see arguments inside it. */
type F =
  | { k: 'var'; name: 'x' | 'y' }
  | { k: 'const'; v: number }
  | { k: 'add' | 'sub'; a: F; b: F }
  | { k: 'mul'; a: F; b: F; spelling: '*' | '.*' | 'implicit' }
  /** a / (c + b²), by / or ./ */
  | { k: 'div'; a: F; b: F; c: number; spelling: '/' | './' }
  /** a^n for a small integer n, by ^ or .^ */
  | { k: 'ipow'; a: F; n: number; spelling: '^' | '.^' }
  /** (c + a²)^b: a positive base, a variable exponent */
  | { k: 'vpow'; a: F; b: F; c: number }
  | { k: 'neg'; a: F }
  | { k: 'exp' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'softplus'; a: F }
  /** log(c + a²) and sqrt(c + a²) */
  | { k: 'log' | 'sqrt'; a: F; c: number }
  /** functions that are the identity on a scalar: sum, mean, max, min, logSumExp, transpose, a' */
  | { k: 'id'; a: F; fn: 'sum' | 'mean' | 'max' | 'min' | 'logSumExp' | 'transpose' | "'" }
  /** norm(a)^2, which is a² for a scalar */
  | { k: 'normSq'; a: F };

const constants = fc.constantFrom(-2, -1.5, -1, -0.5, 0.5, 1, 2, 3);
const positive = fc.constantFrom(0.5, 1, 2);

function formula(depth: number): fc.Arbitrary<F> {
  const leaf: fc.Arbitrary<F> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<F>({ k: 'var', name: 'x' }, { k: 'var', name: 'y' }) },
    { weight: 1, arbitrary: constants.map((v): F => ({ k: 'const', v })) },
  );
  if (depth === 0) return leaf;
  const s = formula(depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom<'add' | 'sub'>('add', 'sub'), s, s).map(([k, a, b]): F => ({ k, a, b })) },
    { weight: 2, arbitrary: fc.tuple(s, s, fc.constantFrom<'*' | '.*' | 'implicit'>('*', '.*', 'implicit')).map(([a, b, spelling]): F => ({ k: 'mul', a, b, spelling })) },
    { weight: 1, arbitrary: fc.tuple(s, s, positive, fc.constantFrom<'/' | './'>('/', './')).map(([a, b, c, spelling]): F => ({ k: 'div', a, b, c, spelling })) },
    { weight: 1, arbitrary: fc.tuple(s, fc.constantFrom(2, 3), fc.constantFrom<'^' | '.^'>('^', '.^')).map(([a, n, spelling]): F => ({ k: 'ipow', a, n, spelling })) },
    { weight: 1, arbitrary: fc.tuple(s, s, positive).map(([a, b, c]): F => ({ k: 'vpow', a, b, c })) },
    { weight: 1, arbitrary: s.map((a): F => ({ k: 'neg', a })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom<'exp' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'softplus'>('exp', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus'), s)
        .map(([k, a]): F => ({ k, a })),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<'log' | 'sqrt'>('log', 'sqrt'), s, positive).map(([k, a, c]): F => ({ k, a, c })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(s, fc.constantFrom<'sum' | 'mean' | 'max' | 'min' | 'logSumExp' | 'transpose' | "'">('sum', 'mean', 'max', 'min', 'logSumExp', 'transpose', "'"))
        .map(([a, fn]): F => ({ k: 'id', a, fn })),
    },
    { weight: 1, arbitrary: s.map((a): F => ({ k: 'normSq', a })) },
  );
}

/** The formula in fromExpression's language. Sub-formulas are parenthesised where precedence could bite. */
function ours(f: F): string {
  switch (f.k) {
    case 'var':
      return f.name;
    case 'const':
      return f.v < 0 ? `(${f.v})` : String(f.v);
    case 'add':
      return `(${ours(f.a)} + ${ours(f.b)})`;
    case 'sub':
      return `(${ours(f.a)} - ${ours(f.b)})`;
    case 'mul':
      // Implicit multiplication needs a parenthesis on the left: mathjs reads `x (y)` as a call of x.
      return f.spelling === 'implicit' ? `((${ours(f.a)}) (${ours(f.b)}))` : `(${ours(f.a)} ${f.spelling} ${ours(f.b)})`;
    case 'div':
      return `(${ours(f.a)} ${f.spelling} (${f.c} + ${ours(f.b)} ^ 2))`;
    case 'ipow':
      return `(${ours(f.a)} ${f.spelling} ${f.n})`;
    case 'vpow':
      return `((${f.c} + ${ours(f.a)} .^ 2) ^ ${ours(f.b)})`;
    case 'neg':
      return `(-${ours(f.a)})`;
    case 'log':
    case 'sqrt':
      return `${f.k}(${f.c} + ${ours(f.a)} ^ 2)`;
    case 'id':
      return f.fn === "'" ? `(${ours(f.a)})'` : `${f.fn}(${ours(f.a)})`;
    case 'normSq':
      return `(norm(${ours(f.a)})^2)`;
    default:
      return `${f.k}(${ours(f.a)})`;
  }
}

/** The same formula in the plain functions that mathjs's derivative knows. */
function theirs(f: F): string {
  switch (f.k) {
    case 'var':
      return f.name;
    case 'const':
      return `(${f.v})`;
    case 'add':
      return `(${theirs(f.a)} + ${theirs(f.b)})`;
    case 'sub':
      return `(${theirs(f.a)} - ${theirs(f.b)})`;
    case 'mul':
      return `(${theirs(f.a)} * ${theirs(f.b)})`;
    case 'div':
      return `(${theirs(f.a)} / (${f.c} + ${theirs(f.b)} ^ 2))`;
    case 'ipow':
      return `(${theirs(f.a)} ^ ${f.n})`;
    case 'vpow':
      return `((${f.c} + ${theirs(f.a)} ^ 2) ^ ${theirs(f.b)})`;
    case 'neg':
      return `(-${theirs(f.a)})`;
    case 'sigmoid':
      return `(1 / (1 + exp(-${theirs(f.a)})))`;
    case 'softplus':
      return `log(1 + exp(${theirs(f.a)}))`;
    case 'log':
    case 'sqrt':
      return `${f.k}(${f.c} + ${theirs(f.a)} ^ 2)`;
    case 'id':
      return theirs(f.a);
    case 'normSq':
      return `(${theirs(f.a)} ^ 2)`;
    default:
      return `${f.k}(${theirs(f.a)})`;
  }
}

function children(f: F): F[] {
  return 'b' in f ? [f.a, f.b] : 'a' in f ? [f.a] : [];
}

/** The largest |value| of any sub-formula at the point, by mathjs (Infinity when one is not finite). */
function largest(f: F, scope: { x: number; y: number }): number {
  const v = parse(theirs(f)).evaluate(scope) as unknown;
  const here = typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : Infinity;
  return Math.max(here, ...children(f).map((c) => largest(c, scope)));
}

function agrees(ours_: number, reference: number): boolean {
  return Math.abs(ours_ - reference) <= REL_TOL * Math.max(1, Math.abs(reference));
}

function check(label: string, ours_: number, reference: number): void {
  if (!agrees(ours_, reference)) throw new Error(`${label}: deltagraph ${ours_}, mathjs ${reference}`);
}

const point = fc.double({ min: -2, max: 2, noNaN: true });
const cases = fc.record({ f: formula(4), x: point, y: point });

/** mathjs's symbolic derivative along `wrt` (one name per order), at the point, or null where it is not finite. */
function mathjsDerivative(text: string, wrt: readonly ('x' | 'y')[], scope: { x: number; y: number }): number | null {
  let node = parse(text);
  for (const v of wrt) node = derivative(node, v, { simplify: false });
  const r = node.evaluate(scope) as unknown;
  return typeof r === 'number' && Number.isFinite(r) ? r : null;
}

describe('fromExpression against mathjs symbolic derivatives on random scalar formulas', () => {
  /** Runs a property over formulas at points where every sub-formula is finite and moderate. */
  const property = (body: (f: F, fn: (x: Tensor, y: Tensor) => Tensor, scope: { x: number; y: number }) => void) =>
    fc.assert(
      fc.property(cases, ({ f, x, y }) => {
        const scope = { x, y };
        fc.pre(largest(f, scope) <= MAX_MAGNITUDE);
        const e = fromExpression(ours(f));
        body(f, (u, v) => e({ x: u, y: v }), scope);
      }),
      { numRuns: RUNS },
    );

  it('the two renderings have the same value', () => {
    property((f, fn, { x, y }) => {
      check(`f(${x}, ${y}) for ${ours(f)}`, fn(tensor(x), tensor(y)).item(), parse(theirs(f)).evaluate({ x, y }) as number);
    });
  });

  it("the gradient (∂f/∂x, ∂f/∂y) equals mathjs's derivative in x and in y", () => {
    property((f, fn, scope) => {
      const fx = mathjsDerivative(theirs(f), ['x'], scope);
      const fy = mathjsDerivative(theirs(f), ['y'], scope);
      fc.pre(fx !== null && fy !== null);
      const [gx, gy] = grad(fn, [0, 1])(tensor(scope.x), tensor(scope.y)) as Tensor[];
      check(`∂f/∂x at (${scope.x}, ${scope.y}) for ${ours(f)}`, gx!.item(), fx!);
      check(`∂f/∂y at (${scope.x}, ${scope.y}) for ${ours(f)}`, gy!.item(), fy!);
    });
  });

  it("the second derivatives ∂²f/∂x² and ∂²f/∂x∂y equal mathjs's derivative of its derivative", () => {
    property((f, fn, scope) => {
      const fxx = mathjsDerivative(theirs(f), ['x', 'x'], scope);
      const fxy = mathjsDerivative(theirs(f), ['x', 'y'], scope);
      fc.pre(fxx !== null && fxy !== null);
      const dfdx = (x: Tensor, y: Tensor): Tensor => grad(fn, 0)(x, y) as Tensor;
      const [hxx, hxy] = grad(dfdx, [0, 1])(tensor(scope.x), tensor(scope.y)) as Tensor[];
      check(`∂²f/∂x² at (${scope.x}, ${scope.y}) for ${ours(f)}`, hxx!.item(), fxx!);
      check(`∂²f/∂x∂y at (${scope.x}, ${scope.y}) for ${ours(f)}`, hxy!.item(), fxy!);
    });
  });

  it('the generator reaches every kind of node and spelling (so the properties are not vacuous)', () => {
    const seen = new Set<string>();
    const visit = (f: F): void => {
      seen.add('spelling' in f ? `${f.k} ${f.spelling}` : 'fn' in f ? `id ${f.fn}` : f.k);
      children(f).forEach(visit);
    };
    fc.sample(formula(4), { numRuns: 500, seed: 7 }).forEach(visit);
    expect([...seen].sort()).toEqual(
      [
        'add', 'const', 'cos', 'div ./', 'div /', 'exp', "id '", 'id logSumExp', 'id max', 'id mean', 'id min', 'id sum',
        'id transpose', 'ipow .^', 'ipow ^', 'log', 'mul *', 'mul .*', 'mul implicit', 'neg', 'normSq', 'sigmoid', 'sin',
        'softplus', 'sqrt', 'sub', 'tanh', 'var', 'vpow',
      ].sort(),
    );
  });

  it('a known case: d/dx sigmoid(2 x) at 0 is 2 σ′(0) = 0.5, and d²/dx² is 0 (σ″(0) = 0)', () => {
    const f = fromExpression('sigmoid(2 x)');
    const df = (x: Tensor): Tensor => grad((t: Tensor) => f({ x: t }))(x) as Tensor;
    expect(df(tensor(0)).item()).toBeCloseTo(0.5, 15);
    expect((grad(df)(tensor(0)) as Tensor).item()).toBeCloseTo(0, 15);
  });
});

