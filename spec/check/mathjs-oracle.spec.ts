/**
 * mathjs as an independent symbolic oracle. Random scalar expression trees in one variable x (depth
 * ≤ 4; +, −, *, /, sin, cos, exp, log, tanh, sqrt, integer powers) are rendered twice: as a mathjs
 * string, differentiated symbolically by mathjs, and as a function of a scalar tensor built from
 * deltagraph's ops. grad(f)(x) must equal mathjs's f′(x), and grad(grad(f))(x) its f″(x), within
 * 1e-8·max(1, |reference|). Operations with a restricted domain are generated in a form that keeps
 * them defined (log and sqrt of a positive subexpression, division by a positive one); points where
 * the oracle is not finite, or where a subexpression exceeds 1e4 in magnitude, are skipped.
 */
import fc from 'fast-check';
import { derivative, parse } from 'mathjs';
import { Tensor, add, cos, div, exp, grad, log, mul, pow, sin, sqrt, sub, tanh, tensor } from '../../index';

const RUNS = 100;
const REL_TOL = 1e-8;
/** Subexpressions larger than this are skipped: 1e-8 relative accuracy cannot survive cancellation between huge terms. */
const MAX_MAGNITUDE = 1e4;

type Binary = 'add' | 'sub' | 'mul';
type Unary = 'sin' | 'cos' | 'exp' | 'tanh';
type Expr =
  | { k: 'x' }
  | { k: 'c'; v: number }
  | { k: Binary; a: Expr; b: Expr }
  | { k: Unary; a: Expr }
  /** a / (c + b²): division by a positive subexpression */
  | { k: 'divPos'; a: Expr; b: Expr; c: number }
  /** a / exp(b) */
  | { k: 'divExp'; a: Expr; b: Expr }
  /** log(c + a²) */
  | { k: 'logPos'; a: Expr; c: number }
  /** log(exp(a)) */
  | { k: 'logExp'; a: Expr }
  /** sqrt(c + a²) */
  | { k: 'sqrtPos'; a: Expr; c: number }
  /** a^n for a small integer n */
  | { k: 'pow'; a: Expr; n: number };

const constants = fc.constantFrom(-2, -1.5, -1, -0.5, 0.5, 1, 2, 3);
const positive = fc.constantFrom(0.5, 1, 2);

function exprOf(depth: number): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Expr>({ k: 'x' }) },
    { weight: 1, arbitrary: constants.map((v): Expr => ({ k: 'c', v })) },
  );
  if (depth === 0) return leaf;
  const sub_ = exprOf(depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom<Binary>('add', 'sub', 'mul'), sub_, sub_).map(([k, a, b]): Expr => ({ k, a, b })) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom<Unary>('sin', 'cos', 'exp', 'tanh'), sub_).map(([k, a]): Expr => ({ k, a })) },
    { weight: 1, arbitrary: fc.tuple(sub_, sub_, positive).map(([a, b, c]): Expr => ({ k: 'divPos', a, b, c })) },
    { weight: 1, arbitrary: fc.tuple(sub_, sub_).map(([a, b]): Expr => ({ k: 'divExp', a, b })) },
    { weight: 1, arbitrary: fc.tuple(sub_, positive).map(([a, c]): Expr => ({ k: 'logPos', a, c })) },
    { weight: 1, arbitrary: sub_.map((a): Expr => ({ k: 'logExp', a })) },
    { weight: 1, arbitrary: fc.tuple(sub_, positive).map(([a, c]): Expr => ({ k: 'sqrtPos', a, c })) },
    { weight: 1, arbitrary: fc.tuple(sub_, fc.constantFrom(2, 3, 4)).map(([a, n]): Expr => ({ k: 'pow', a, n })) },
  );
}

/** Every subexpression fully parenthesised, negative constants too, so precedence cannot differ. */
function render(e: Expr): string {
  switch (e.k) {
    case 'x':
      return 'x';
    case 'c':
      return `(${e.v})`;
    case 'add':
      return `(${render(e.a)} + ${render(e.b)})`;
    case 'sub':
      return `(${render(e.a)} - ${render(e.b)})`;
    case 'mul':
      return `(${render(e.a)} * ${render(e.b)})`;
    case 'sin':
    case 'cos':
    case 'exp':
    case 'tanh':
      return `${e.k}(${render(e.a)})`;
    case 'divPos':
      return `(${render(e.a)} / (${e.c} + ${render(e.b)} ^ 2))`;
    case 'divExp':
      return `(${render(e.a)} / exp(${render(e.b)}))`;
    case 'logPos':
      return `log(${e.c} + ${render(e.a)} ^ 2)`;
    case 'logExp':
      return `log(exp(${render(e.a)}))`;
    case 'sqrtPos':
      return `sqrt(${e.c} + ${render(e.a)} ^ 2)`;
    case 'pow':
      return `(${render(e.a)} ^ ${e.n})`;
  }
}

/** The same tree from deltagraph's ops; constants stay numbers (the ops accept them). */
function build(e: Expr, x: Tensor): Tensor | number {
  switch (e.k) {
    case 'x':
      return x;
    case 'c':
      return e.v;
    case 'add':
      return add(build(e.a, x), build(e.b, x));
    case 'sub':
      return sub(build(e.a, x), build(e.b, x));
    case 'mul':
      return mul(build(e.a, x), build(e.b, x));
    case 'sin':
      return sin(build(e.a, x));
    case 'cos':
      return cos(build(e.a, x));
    case 'exp':
      return exp(build(e.a, x));
    case 'tanh':
      return tanh(build(e.a, x));
    case 'divPos':
      return div(build(e.a, x), add(e.c, pow(build(e.b, x), 2)));
    case 'divExp':
      return div(build(e.a, x), exp(build(e.b, x)));
    case 'logPos':
      return log(add(e.c, pow(build(e.a, x), 2)));
    case 'logExp':
      return log(exp(build(e.a, x)));
    case 'sqrtPos':
      return sqrt(add(e.c, pow(build(e.a, x), 2)));
    case 'pow':
      return pow(build(e.a, x), e.n);
  }
}

const asFunction = (e: Expr) => (x: Tensor): Tensor => {
  const r = build(e, x);
  return typeof r === 'number' ? tensor(r) : r;
};

/** The largest |value| over every subexpression, evaluated by mathjs. */
function largestSubexpression(e: Expr, x: number): number {
  const here = Math.abs(parse(render(e)).evaluate({ x }) as number);
  const children: Expr[] = 'a' in e ? ('b' in e ? [e.a, e.b] : [e.a]) : [];
  return Math.max(here, ...children.map((c) => largestSubexpression(c, x)));
}

const cases = fc.record({ expr: exprOf(4), x: fc.double({ min: -2, max: 2, noNaN: true }) });

/** mathjs's derivative of the given order at x, or null where the oracle has no finite answer. */
function oracle(e: Expr, order: 1 | 2, x: number): number | null {
  const source = render(e);
  const value = parse(source).evaluate({ x }) as unknown;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (!(largestSubexpression(e, x) <= MAX_MAGNITUDE)) return null;
  let d = derivative(source, 'x', { simplify: false });
  if (order === 2) d = derivative(d, 'x', { simplify: false });
  const r = d.evaluate({ x }) as unknown;
  return typeof r === 'number' && Number.isFinite(r) ? r : null;
}

function expectAgrees(ours: number, reference: number, label: string): void {
  const ok = Math.abs(ours - reference) <= REL_TOL * Math.max(1, Math.abs(reference));
  if (!ok) throw new Error(`${label}: deltagraph ${ours}, mathjs ${reference}`);
}

describe('deltagraph against mathjs symbolic derivatives on random expression trees', () => {
  it('the renderings agree on the value before any derivative is compared', () => {
    fc.assert(
      fc.property(cases, ({ expr, x }) => {
        const reference = parse(render(expr)).evaluate({ x }) as number;
        fc.pre(Number.isFinite(reference) && largestSubexpression(expr, x) <= MAX_MAGNITUDE);
        expectAgrees(asFunction(expr)(tensor(x)).item(), reference, `f(${x}) for ${render(expr)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it("grad(f)(x) = mathjs's derivative(f, 'x') at x", () => {
    fc.assert(
      fc.property(cases, ({ expr, x }) => {
        const reference = oracle(expr, 1, x);
        fc.pre(reference !== null);
        const ours = (grad(asFunction(expr))(tensor(x)) as Tensor).item();
        expectAgrees(ours, reference!, `f′(${x}) for ${render(expr)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it("grad(grad(f))(x) = mathjs's second derivative at x", () => {
    fc.assert(
      fc.property(cases, ({ expr, x }) => {
        const reference = oracle(expr, 2, x);
        fc.pre(reference !== null);
        const ours = (grad(grad(asFunction(expr)))(tensor(x)) as Tensor).item();
        expectAgrees(ours, reference!, `f″(${x}) for ${render(expr)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('the generator reaches every kind of node (so the properties above are not vacuous)', () => {
    const seen = new Set<string>();
    const visit = (e: Expr): void => {
      seen.add(e.k);
      if ('a' in e) visit(e.a);
      if ('b' in e) visit(e.b);
    };
    fc.sample(exprOf(4), { numRuns: 300, seed: 42 }).forEach(visit);
    expect([...seen].sort()).toEqual(
      ['add', 'c', 'cos', 'divExp', 'divPos', 'exp', 'logExp', 'logPos', 'mul', 'pow', 'sin', 'sqrtPos', 'sub', 'tanh', 'x'].sort(),
    );
  });
});
