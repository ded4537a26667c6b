// The demo's web part: a small local site with an application form (served by the demo itself),
// plus a second origin the policy does not allow, embedded in the page — the browser must block it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Client } from '@modelcontextprotocol/client';

import { type Printer, textOf } from './print.js';
import { call } from './steps.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function formPage(foreign: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Allotment application</title></head><body>
<main>
<h1>Apply for an allotment plot</h1>
<form method="post" action="/apply">
  <p><label for="name">Full name</label> <input id="name" name="name" required></p>
  <p><label for="email">Email</label> <input id="email" name="email" type="email" required></p>
  <p><label for="phone">Phone</label> <input id="phone" name="phone" type="tel"></p>
  <p><label for="plot">Plot size</label> <select id="plot" name="plot" required><option value="">Choose…</option><option value="quarter">Quarter plot (62 m²)</option><option value="half">Half plot (125 m²)</option><option value="full">Full plot (250 m²)</option></select></p>
  <p><label for="start">Start date</label> <input id="start" name="start" type="date" required></p>
  <fieldset><legend>Growing experience</legend>
    <label><input type="radio" name="experience" value="none"> None yet</label>
    <label><input type="radio" name="experience" value="some"> Some seasons</label>
    <label><input type="radio" name="experience" value="lots"> Many years</label>
  </fieldset>
  <p><label><input type="checkbox" name="tools" value="yes"> I have my own tools</label></p>
  <p><label for="notes">What would you grow?</label> <textarea id="notes" name="notes"></textarea></p>
  <p><label><input type="checkbox" name="rules" value="accepted" required> I accept the site rules</label></p>
  <button type="submit">Send application</button>
</form>
<iframe title="Partner offers" src="${foreign}/offers"></iframe>
</main></body></html>`;
}

function confirmation(fields: URLSearchParams): string {
  const rows = [...fields.entries()].map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Application received</title></head><body><main><h1>Application received</h1><table>${rows}</table></main></body></html>`;
}

export interface DemoSite {
  url: string;
  origin: string;
  close(): Promise<void>;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function startDemoSite(): Promise<DemoSite> {
  const foreign = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>Buy seeds now!</p>');
  });
  const site = await listen((req, res) => {
    if (req.method === 'POST' && req.url === '/apply') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(confirmation(new URLSearchParams(body)));
      });
      return;
    }
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(req.url === '/' ? formPage(foreign.origin) : 'not found');
  });
  return {
    url: `${site.origin}/`,
    origin: site.origin,
    close: async () => {
      await site.close();
      await foreign.close();
    },
  };
}

export async function webDemo(client: Client, p: Printer, url: string): Promise<void> {
  p.step('Open the application page in headless Chromium; the page embeds an origin the policy does not allow');
  const page = await call(client, p, 'web_navigate', { url }, false);
  p.detail(textOf(page), 40);
  p.step('Fill all nine fields and submit, in one call (draft mode: the person sees field → value first)');
  const filled = await call(
    client,
    p,
    'web_fill_form',
    {
      submit: true,
      fields: [
        { target: { label: 'Full name' }, value: 'Ana Fernández' },
        { target: { label: 'Email' }, value: 'ana@example.org' },
        { target: { label: 'Phone' }, value: '+34 600 123 456' },
        { target: { label: 'Plot size' }, value: 'Half plot (125 m²)' },
        { target: { label: 'Start date' }, value: '2027-03-01' },
        { target: { label: 'Growing experience' }, value: 'Some seasons' },
        { target: { label: 'I have my own tools' }, value: true },
        { target: { label: 'What would you grow?' }, value: 'Tomatoes, beans and a row of sunflowers.' },
        { target: { label: 'I accept the site rules' }, value: true },
      ],
    },
    false,
  );
  p.detail(textOf(filled), 20);
  await call(client, p, 'web_session_close', { session: 'default' }, false).catch(() => undefined);
}
