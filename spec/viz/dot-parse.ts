/**
 * A parser for the part of the DOT language the tests need to read back: a digraph of node,
 * edge and attribute statements, subgraphs and anonymous blocks, with quoted strings and HTML
 * labels. It throws on anything it does not understand, so a malformed picture fails the test.
 */

export interface DotGraph {
  kind: string;
  nodes: Map<string, Record<string, string>>;
  edges: Array<{ from: string; to: string; attrs: Record<string, string> }>;
  /** Subgraph name → the nodes declared inside it. */
  subgraphs: Map<string, string[]>;
}

type Token = { kind: 'id' | 'html' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('->', i)) {
      tokens.push({ kind: 'punct', text: '->' });
      i += 2;
    } else if ('{}[];,='.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        s += text[j];
        j++;
      }
      if (j >= text.length) throw new Error(`DOT: unterminated string at ${i}`);
      tokens.push({ kind: 'id', text: s });
      i = j + 1;
    } else if (c === '<') {
      let depth = 0;
      let j = i;
      do {
        if (text[j] === '<') depth++;
        else if (text[j] === '>') depth--;
        j++;
      } while (depth > 0 && j < text.length);
      if (depth !== 0) throw new Error(`DOT: unbalanced HTML label at ${i}`);
      tokens.push({ kind: 'html', text: text.slice(i + 1, j - 1) });
      i = j;
    } else {
      const m = /^[A-Za-z0-9_.\-]+/.exec(text.slice(i));
      if (!m) throw new Error(`DOT: unexpected '${c}' at ${i}`);
      tokens.push({ kind: 'id', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

export function parseDot(text: string): DotGraph {
  const tokens = tokenize(text);
  let p = 0;
  const peek = () => tokens[p];
  const next = (): Token => {
    const t = tokens[p++];
    if (!t) throw new Error('DOT: unexpected end');
    return t;
  };
  const expect = (s: string) => {
    const t = next();
    if (t.text !== s || t.kind !== 'punct') throw new Error(`DOT: expected '${s}', got '${t.text}'`);
  };
  const id = (): string => {
    const t = next();
    if (t.kind === 'punct') throw new Error(`DOT: expected an id, got '${t.text}'`);
    return t.text;
  };
  const attrList = (): Record<string, string> => {
    const attrs: Record<string, string> = {};
    expect('[');
    while (peek()?.text !== ']') {
      const key = id();
      expect('=');
      attrs[key] = id();
      if (peek()?.text === ',' || peek()?.text === ';') p++;
    }
    expect(']');
    return attrs;
  };
  const graph: DotGraph = { kind: id(), nodes: new Map(), edges: [], subgraphs: new Map() };
  if (graph.kind !== 'digraph') throw new Error(`DOT: expected digraph, got ${graph.kind}`);
  if (peek()?.kind === 'id') id();
  const block = (inside: string[]) => {
    expect('{');
    while (peek()?.text !== '}') {
      const t = peek();
      if (t === undefined) throw new Error('DOT: unclosed block');
      if (t.kind === 'punct' && t.text === ';') {
        p++;
      } else if (t.kind === 'punct' && t.text === '{') {
        block(inside);
      } else if (t.text === 'subgraph') {
        p++;
        const name = id();
        const members: string[] = [];
        graph.subgraphs.set(name, members);
        block(members);
        inside.push(...members);
      } else if (['graph', 'node', 'edge'].includes(t.text) && tokens[p + 1]?.text === '[') {
        p++;
        attrList();
      } else {
        const a = id();
        if (peek()?.text === '=') {
          p++;
          id(); // a graph attribute such as rank=same
        } else if (peek()?.text === '->') {
          p++;
          const b = id();
          graph.edges.push({ from: a, to: b, attrs: peek()?.text === '[' ? attrList() : {} });
        } else {
          const attrs = peek()?.text === '[' ? attrList() : {};
          graph.nodes.set(a, { ...(graph.nodes.get(a) ?? {}), ...attrs });
          inside.push(a);
        }
      }
    }
    expect('}');
  };
  block([]);
  if (p !== tokens.length) throw new Error('DOT: text after the graph');
  return graph;
}
