// The job board's HTML: plain server-rendered pages with real labels, the way a careful site is built,
// so the web server's targeting by label works as it would on a real board. Every value that came
// from a request is escaped.
import type { Listing } from './listings.js';

export const BOARD_NAME = 'Lantern Jobs';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string, signedIn?: string): string {
  const account = signedIn ? `<p>Signed in as ${esc(signedIn)}</p>` : '<p><a href="/login">Sign in</a></p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · ${BOARD_NAME}</title></head><body>
<header><a href="/">${BOARD_NAME}</a> — jobs at small, decent companies${account}</header>
<main>${body}</main></body></html>`;
}

export function listingsPage(listings: readonly Listing[], signedIn?: string): string {
  const items = listings
    .map(
      (l) =>
        `<li><h2><a href="/jobs/${esc(l.id)}">${esc(l.title)}</a></h2><p>${esc(l.company)} · ${esc(l.location)} · ${esc(l.salary)}</p><p>${esc(l.summary)}</p></li>`,
    )
    .join('\n');
  return layout('Open roles', `<h1>Open roles</h1><ul>${items}</ul>`, signedIn);
}

export function jobPage(l: Listing, signedIn?: string): string {
  return layout(
    l.title,
    `<article><h1>${esc(l.title)}</h1><p>${esc(l.company)} · ${esc(l.location)} · ${esc(l.salary)}</p>
${l.description.map((p) => `<p>${esc(p)}</p>`).join('\n')}
<h2>What we look for</h2><ul>${l.requirements.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<p><a href="/jobs/${esc(l.id)}/apply">Apply for this role</a> (you need to be signed in)</p></article>`,
    signedIn,
  );
}

export function loginPage(next: string, error?: string): string {
  return layout(
    'Sign in',
    `<h1>Sign in to apply</h1><p>Applications are tied to your ${BOARD_NAME} account.</p>
${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="next" value="${esc(next)}">
<p><label for="login-email">Email</label> <input id="login-email" name="email" type="email" required></p>
<p><label for="login-password">Password</label> <input id="login-password" name="password" type="password" required></p>
<button type="submit">Sign in</button></form>`,
  );
}

export const WORK_MODES = ['Remote', 'Hybrid', 'On site'] as const;
export const SKILLS = ['TypeScript', 'PostgreSQL', 'Kubernetes', 'Go'] as const;

export function applyPage(l: Listing, signedIn: string, errors: string[] = []): string {
  const errorList = errors.length
    ? `<div role="alert"><p>Please fix:</p><ul>${errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></div>`
    : '';
  return layout(
    `Apply: ${l.title}`,
    `<h1>Apply: ${esc(l.title)} at ${esc(l.company)}</h1>${errorList}
<form id="application" method="post" action="/jobs/${esc(l.id)}/apply" enctype="multipart/form-data">
<p><label for="full_name">Full name</label> <input id="full_name" name="full_name" required></p>
<p><label for="email">Email</label> <input id="email" name="email" type="email" required></p>
<p><label for="phone">Phone</label> <input id="phone" name="phone" type="tel"></p>
<p><label for="resume">Resume (PDF or DOCX)</label> <input id="resume" name="resume" type="file" accept=".pdf,.docx" required></p>
<p><label for="cover_letter">Cover letter</label> <textarea id="cover_letter" name="cover_letter" rows="10" required></textarea></p>
<p><label for="work_mode">Preferred way of working</label> <select id="work_mode" name="work_mode" required><option value="">Choose…</option>${WORK_MODES.map((m) => `<option>${m}</option>`).join('')}</select></p>
<fieldset><legend>Skills you would bring</legend>${SKILLS.map((s) => `<label><input type="checkbox" name="skills" value="${s}"> ${s}</label>`).join(' ')}</fieldset>
<p><label><input type="checkbox" name="consent" value="yes" required> I consent to ${BOARD_NAME} sharing this application with ${esc(l.company)}</label></p>
<button type="submit">Send application</button>
</form>`,
    signedIn,
  );
}

export interface ReceivedView {
  ref: string;
  listing: Listing;
  fields: Record<string, string | string[]>;
  file: { name: string; bytes: number };
}

export function confirmationPage(a: ReceivedView, signedIn: string): string {
  const rows = Object.entries(a.fields)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(Array.isArray(v) ? v.join(', ') : v)}</td></tr>`)
    .join('');
  return layout(
    'Application received',
    `<h1>Application received</h1><p>Thank you. ${esc(a.listing.company)} has your application for ${esc(a.listing.title)}.</p>
<p>Your reference: <strong>${esc(a.ref)}</strong></p>
<table>${rows}<tr><th>resume</th><td>${esc(a.file.name)} (${a.file.bytes} bytes)</td></tr></table>`,
    signedIn,
  );
}

export function notFoundPage(): string {
  return layout('Not found', '<h1>Not found</h1><p><a href="/">All open roles</a></p>');
}
