// Turning an HTML element tree into sections: headings (h1–h6) open sections with a heading path;
// block elements end lines so paragraphs stay apart. Shared by HTML pages and DOCX (via mammoth).
import type { Section } from './document.js';

const BLOCK = new Set([
  'P',
  'DIV',
  'LI',
  'UL',
  'OL',
  'PRE',
  'BLOCKQUOTE',
  'TABLE',
  'TR',
  'TD',
  'TH',
  'DD',
  'DT',
  'DL',
  'SECTION',
  'ARTICLE',
  'FIGURE',
  'FIGCAPTION',
  'BR',
  'HR',
  'MAIN',
  'HEADER',
  'FOOTER',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'CANVAS', 'IFRAME']);
const HEADING = /^H([1-6])$/;

interface NodeLike {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<NodeLike>;
}

export function sectionsFromElement(root: NodeLike): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let text = '';
  let heading: string[] = [];
  const flush = () => {
    const clean = text
      .replace(/[ \t\f\v\u00a0]+/g, ' ')
      .replace(/ *\n[ \n]*/g, '\n\n')
      .trim();
    if (clean) sections.push({ text: clean, heading: [...heading] });
    text = '';
  };
  const walk = (node: NodeLike) => {
    if (node.nodeType === 3) {
      text += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    const h = HEADING.exec(name);
    if (h) {
      flush();
      const depth = Number(h[1]);
      const label = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
      path.length = Math.min(path.length, depth - 1);
      while (path.length < depth - 1) path.push('');
      path.push(label);
      heading = path.filter(Boolean);
      text = `${label}\n`;
      return;
    }
    const block = BLOCK.has(name);
    if (block) text += '\n';
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!);
    if (block) text += '\n';
  };
  walk(root);
  flush();
  return sections;
}
