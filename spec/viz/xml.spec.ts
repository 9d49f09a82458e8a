/** The tests' XML well-formedness check accepts well-formed documents and rejects broken ones. */
import { parseXml } from './xml';

describe('parseXml', () => {
  it('reads elements, attributes and decoded text', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- c --><svg a="1" b=\'x &amp; y\'><g><text>‖∂L‖ &lt;3&#62;</text></g><path d="M0"/></svg>\n');
    expect(doc.root).toBe('svg');
    expect(doc.elements.map((e) => e.name)).toEqual(['svg', 'g', 'text', 'path']);
    expect(doc.elements[0]!.attrs).toEqual({ a: '1', b: 'x & y' });
    expect(doc.elements[2]!.text).toBe('‖∂L‖ <3>');
  });

  it.each([
    ['<svg><g></svg>', /does not match/],
    ['<svg>', /never closed/],
    ['<svg a=1></svg>', /bad attribute/],
    ['<svg a="1" a="2"></svg>', /duplicate attribute/],
    ['<svg>a & b</svg>', /bad entity/],
    ['<svg></svg><svg></svg>', /second root/],
    ['text<svg></svg>', /outside the root/],
    ['<svg a="<"></svg>', /'<' in text/],
    ['', /no root/],
  ])('rejects %j', (text, message) => {
    expect(() => parseXml(text)).toThrow(message);
  });
});
