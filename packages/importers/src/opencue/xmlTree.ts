/**
 * A small XML element tree with the line each element starts on, so that an importer can name
 * the line of whatever it refuses. Built on saxes (a strict, well-formedness-checking parser).
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: XmlSyntaxError | null = null;
  parser.on('error', (e) => {
    failure ??= new XmlSyntaxError(parser.line, e.message.replace(/^[^:]*:\d+:\d+: /, ''));
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attributes: {}, children: [], text: '', line: parser.line };
    for (const [k, v] of Object.entries(tag.attributes)) el.attributes[k] = typeof v === 'string' ? v : v.value;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(text).close();
  } catch (e) {
    failure ??= new XmlSyntaxError(parser.line, (e as Error).message);
  }
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError(1, 'the file holds no XML element');
  return root;
}
