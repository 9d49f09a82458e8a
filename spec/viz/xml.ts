/**
 * A small XML well-formedness check for the tests: one root element, every tag closed in order,
 * attribute values quoted and unique per element, no stray '<', and only the predefined or
 * numeric entities. It returns the elements and the text found, so that tests can look inside.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** The text directly inside the element, entities decoded. */
  text: string;
}

export interface XmlDocument {
  root: string;
  elements: XmlElement[];
}

const NAME = /^[A-Za-z_:][\w:.-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function decode(text: string, at: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '<') throw new Error(`XML: '<' in text or attribute value at ${at + i}`);
    if (c !== '&') {
      out += c;
      continue;
    }
    const m = ENTITY.exec(text.slice(i));
    if (!m) throw new Error(`XML: bad entity at ${at + i}: ${text.slice(i, i + 12)}`);
    const e = m[1]!;
    out += e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
    i += m[0].length - 1;
  }
  return out;
}

/** Parses `text`, throwing an Error that names the position of the first fault. */
export function parseXml(text: string): XmlDocument {
  const elements: XmlElement[] = [];
  const open: XmlElement[] = [];
  let root: string | undefined;
  let closedRoot = false;
  let i = 0;
  const skip = (start: string, end: string): boolean => {
    if (!text.startsWith(start, i)) return false;
    const j = text.indexOf(end, i + start.length);
    if (j < 0) throw new Error(`XML: unterminated ${start} at ${i}`);
    i = j + end.length;
    return true;
  };
  while (i < text.length) {
    if (skip('<?', '?>') || skip('<!--', '-->')) continue;
    if (text.startsWith('<![CDATA[', i)) {
      if (open.length === 0) throw new Error(`XML: CDATA outside the root at ${i}`);
      skip('<![CDATA[', ']]>');
      continue;
    }
    if (text.startsWith('<!DOCTYPE', i)) {
      if (root !== undefined) throw new Error(`XML: DOCTYPE after the root element at ${i}`);
      skip('<!DOCTYPE', '>');
      continue;
    }
    const c = text[i]!;
    if (c !== '<') {
      const j = text.indexOf('<', i);
      const chunk = text.slice(i, j < 0 ? text.length : j);
      const top = open[open.length - 1];
      if (top === undefined) {
        if (chunk.trim() !== '') throw new Error(`XML: text outside the root element at ${i}`);
      } else top.text += decode(chunk, i);
      i += chunk.length;
      continue;
    }
    if (text[i + 1] === '/') {
      const m = NAME.exec(text.slice(i + 2));
      const top = open.pop();
      if (!m || !top || m[0] !== top.name) throw new Error(`XML: closing tag at ${i} does not match <${top?.name ?? ''}>`);
      i += 2 + m[0].length;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '>') throw new Error(`XML: expected '>' at ${i}`);
      i++;
      if (open.length === 0) closedRoot = true;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) throw new Error(`XML: bad tag name at ${i}`);
    if (closedRoot || (open.length === 0 && root !== undefined)) throw new Error(`XML: a second root element <${m[0]}> at ${i}`);
    const element: XmlElement = { name: m[0], attrs: {}, text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i))![0].length;
      i += ws;
      if (text.startsWith('/>', i) || text[i] === '>') break;
      if (ws === 0) throw new Error(`XML: expected a space before an attribute at ${i}`);
      const a = /^([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i));
      if (!a) throw new Error(`XML: bad attribute at ${i}: ${text.slice(i, i + 20)}`);
      if (a[1]! in element.attrs) throw new Error(`XML: duplicate attribute ${a[1]} at ${i}`);
      element.attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', i);
      i += a[0].length;
    }
    root ??= element.name;
    elements.push(element);
    if (text.startsWith('/>', i)) {
      i += 2;
      if (open.length === 0) closedRoot = true;
    } else {
      i += 1;
      open.push(element);
    }
  }
  if (open.length > 0) throw new Error(`XML: <${open[open.length - 1]!.name}> is never closed`);
  if (root === undefined) throw new Error('XML: no root element');
  return { root, elements };
}
