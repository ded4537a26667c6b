// HTML pages: Mozilla's Readability picks the main content (dropping navigation, footers, ads);
// headings in it become the sections' heading paths. Pages Readability cannot make sense of fall
// back to the body without nav, header, footer and aside.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

import type { ParsedDocument } from './document.js';
import { sectionsFromElement } from './html-sections.js';

const CHROME =
  'nav, header, footer, aside, script, style, noscript, form, [role="navigation"], [role="banner"], [role="contentinfo"], [aria-hidden="true"]';

export function parseHtml(source: string): ParsedDocument {
  const { document } = parseHTML(source);
  const pageTitle = document.querySelector('title')?.textContent?.trim() || undefined;
  let article: { title?: string | null; content?: string | null } | null = null;
  try {
    // Readability changes the tree it reads, so it gets its own copy.
    article = new Readability(parseHTML(source).document, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  let root: Parameters<typeof sectionsFromElement>[0] | null = null;
  if (article?.content) {
    const content = parseHTML(`<html><body>${article.content}</body></html>`).document;
    // Readability turns the page's h1 headings into h2; turn them back so heading depths stay true.
    const h1s = new Set(Array.from(document.querySelectorAll('h1'), (h) => (h.textContent ?? '').replace(/\s+/g, ' ').trim()));
    for (const h2 of Array.from(content.querySelectorAll('h2'))) {
      const text = (h2.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (!h1s.has(text)) continue;
      const h1 = content.createElement('h1');
      h1.textContent = text;
      h2.replaceWith(h1);
    }
    root = content.body;
  } else {
    const body = document.body;
    if (body) for (const el of Array.from(body.querySelectorAll(CHROME) as ArrayLike<{ remove(): void }>)) el.remove();
    root = body;
  }
  let sections = root ? sectionsFromElement(root) : [];
  const title = article?.title?.trim() || pageTitle || document.querySelector('h1')?.textContent?.trim() || undefined;
  // Readability lifts the article's h1 out as its title; put it back at the top of heading paths.
  const top = document.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim() || title;
  if (article?.content && top && !sections.some((s) => s.heading?.[0] === top)) {
    sections = sections.map((s) => ({ ...s, heading: [top, ...(s.heading ?? [])] }));
  }
  return { format: 'html', ...(title ? { title } : {}), sections };
}
