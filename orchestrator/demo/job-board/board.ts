// The job board: a small local site the project serves as the golden path's demo and as a test
// site. Listings, a job page, a sign-in (the obstacle: applying needs an account, which the person
// signed into earlier and saved as a browser session), a multipart application form and a
// confirmation page. It records everything it receives — every POST, and each accepted application
// with the uploaded file's bytes — so a test can check an application arrived exactly once, intact.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { findListing, LISTINGS } from './listings.js';
import { applyPage, confirmationPage, jobPage, listingsPage, loginPage, notFoundPage, type ReceivedView } from './pages.js';

const COOKIE = 'lantern_session';

export interface Account {
  email: string;
  password: string;
  name: string;
}

export interface ReceivedFile {
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
  sha256: string;
}

export interface Application {
  ref: string;
  job: string;
  account: string;
  fields: Record<string, string | string[]>;
  resume: ReceivedFile;
  at: string;
}

export interface BoardRequest {
  method: string;
  path: string;
  status: number;
}

/** A cookie in the shape of a browser's storage state (what a saved web session holds). */
export interface SessionCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Lax';
}

export interface JobBoard {
  origin: string;
  url: string;
  /** Accepted applications, oldest first. */
  applications: Application[];
  /** Every request that was not a GET or HEAD, with the status it got. */
  writes: BoardRequest[];
  /** Signs the account in as a browser would and returns the session cookie (the person's earlier login). */
  signIn(email: string): SessionCookie;
  close(): Promise<void>;
}

const cookieOf = (req: IncomingMessage) => /(?:^|;\s*)lantern_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  return new Request('http://board.invalid/', { method: 'POST', headers, body: new Uint8Array(Buffer.concat(chunks)) }).formData();
}

/** What an application form must carry; each problem is said the way the page shows it. */
function problems(form: FormData): string[] {
  const out: string[] = [];
  for (const [field, label] of [
    ['full_name', 'Full name'],
    ['email', 'Email'],
    ['cover_letter', 'Cover letter'],
    ['work_mode', 'Preferred way of working'],
  ] as const) {
    const v = form.get(field);
    if (typeof v !== 'string' || !v.trim()) out.push(`${label} is required`);
  }
  const resume = form.get('resume');
  if (!(resume instanceof File) || resume.size === 0) out.push('Attach your resume');
  else if (!/\.(pdf|docx)$/i.test(resume.name)) out.push('The resume must be a PDF or DOCX file');
  if (form.get('consent') !== 'yes') out.push('Tick the consent box to send your application');
  return out;
}

export async function startJobBoard(accounts: readonly Account[]): Promise<JobBoard> {
  const sessions = new Map<string, string>();
  const applications: Application[] = [];
  const writes: BoardRequest[] = [];
  const account = (req: IncomingMessage) => {
    const token = cookieOf(req);
    const email = token ? sessions.get(token) : undefined;
    return email ? accounts.find((a) => a.email === email) : undefined;
  };
  const newSession = (email: string) => {
    const token = randomBytes(18).toString('base64url');
    sessions.set(token, email);
    return token;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://board.invalid');
    const path = url.pathname;
    const who = account(req);
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') writes.push({ method: req.method ?? '?', path, status });
      send(res, status, body, headers);
    };
    if (req.method === 'GET' && path === '/') return reply(200, listingsPage(LISTINGS, who?.name));
    if (req.method === 'GET' && path === '/login') return reply(200, loginPage(url.searchParams.get('next') ?? '/'));
    if (req.method === 'POST' && path === '/login') {
      const form = await readForm(req);
      const found = accounts.find((a) => a.email === form.get('email') && a.password === form.get('password'));
      const rawNext = form.get('next');
      const next = typeof rawNext === 'string' ? rawNext : '/';
      if (!found) return reply(401, loginPage(next, 'That email and password do not match an account.'));
      const safeNext = next.startsWith('/') && !next.startsWith('//') ? next : '/';
      return reply(303, '', { location: safeNext, 'set-cookie': `${COOKIE}=${newSession(found.email)}; Path=/; HttpOnly; SameSite=Lax` });
    }
    const job = /^\/jobs\/([a-z0-9-]+)(\/apply)?$/.exec(path);
    const listing = job ? findListing(job[1]!) : undefined;
    if (job && listing && !job[2] && req.method === 'GET') return reply(200, jobPage(listing, who?.name));
    if (job && listing && job[2]) {
      if (!who) return reply(303, '', { location: `/login?next=${encodeURIComponent(path)}` });
      if (req.method === 'GET') return reply(200, applyPage(listing, who.name));
      if (req.method === 'POST') {
        const form = await readForm(req);
        const wrong = problems(form);
        if (wrong.length) return reply(422, applyPage(listing, who.name, wrong));
        const resume = form.get('resume') as File;
        const bytes = Buffer.from(await resume.arrayBuffer());
        const fields: Record<string, string | string[]> = {};
        const keys = new Set<string>();
        form.forEach((_value, key) => keys.add(key));
        for (const key of keys) {
          if (key === 'resume') continue;
          const all = form.getAll(key).map(String);
          fields[key] = key === 'skills' ? all : all[0]!;
        }
        const ref = `LJ-${String(applications.length + 1).padStart(4, '0')}`;
        applications.push({
          ref,
          job: listing.id,
          account: who.email,
          fields,
          resume: {
            field: 'resume',
            name: resume.name,
            type: resume.type,
            bytes,
            sha256: createHash('sha256').update(bytes).digest('hex'),
          },
          at: new Date().toISOString(),
        });
        return reply(303, '', { location: `/applications/${ref}` });
      }
    }
    const confirmation = /^\/applications\/(LJ-\d{4})$/.exec(path);
    const received = confirmation ? applications.find((a) => a.ref === confirmation[1]) : undefined;
    if (received && who?.email === received.account && req.method === 'GET') {
      const view: ReceivedView = {
        ref: received.ref,
        listing: findListing(received.job)!,
        fields: received.fields,
        file: { name: received.resume.name, bytes: received.resume.bytes.length },
      };
      return reply(200, confirmationPage(view, who.name));
    }
    reply(404, notFoundPage());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'the board failed to read the request');
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/`,
    applications,
    writes,
    signIn(email) {
      if (!accounts.some((a) => a.email === email)) throw new Error(`no account ${email} on the board`);
      return {
        name: COOKIE,
        value: newSession(email),
        domain: '127.0.0.1',
        path: '/',
        expires: -1,
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
