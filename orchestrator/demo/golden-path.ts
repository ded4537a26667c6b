// The golden path's model turns: what a capable model does to "apply to the <role> at <board> with
// my CV" — look at the listings, read the job, search the CV and notes, hit the sign-in wall and
// restore the saved login, fill the whole form with the CV attached (one approval in draft mode),
// check the confirmation, keep a screenshot and the trace. The scripted provider answers from these
// turns in `make demo` (and says so); the tests feed the same turns to a fake Ollama server.
import { findListing } from './job-board/listings.js';
import { PERSON } from './person.js';

export interface GoldenTurn {
  /** When the scripted provider may give this answer (see servers/budget/providers/script.ts). */
  match: { lastUser: string; step: number; lastToolResult?: string };
  text: string;
  toolCalls: { name: string; arguments: Record<string, unknown> }[];
}

interface Application {
  /** A word of the task that picks this application's turns (the scripted provider matches on it). */
  keyword: string;
  listing: string;
  workMode: 'Remote' | 'Hybrid' | 'On site';
  skills: string[];
  search: string;
  letter: string;
}

export const APPLICATIONS: Record<'backend' | 'platform', Application> = {
  backend: {
    keyword: 'backend',
    listing: 'backend-engineer',
    workMode: 'Remote',
    skills: ['TypeScript', 'PostgreSQL'],
    search: 'Node.js PostgreSQL API latency experience',
    letter: [
      'Dear Northwind Labs team,',
      '',
      'I would love to build the APIs behind your booking platform. At Tidewater Tickets I moved our booking API from a monolith to three Node.js services and brought p99 latency from 900 ms to 180 ms, and I owned the PostgreSQL schema and zero-downtime migrations for 40 million bookings.',
      '',
      'I write tests that catch real bugs: our contract tests stopped more than thirty breaking changes before release. I can start on 11 January 2027 and would be glad to work remotely in your EU time zones.',
      '',
      'Best regards,',
      'Ana',
    ].join('\n'),
  },
  platform: {
    keyword: 'platform',
    listing: 'platform-engineer',
    workMode: 'Hybrid',
    skills: ['TypeScript', 'Kubernetes'],
    search: 'Kubernetes Helm on-call platform experience',
    letter: [
      'Dear Larkspur Systems team,',
      '',
      'Keeping a platform calm so product engineers can ship is work I enjoy. At Orchard Analytics I ran our services on Kubernetes, wrote the Helm charts and the on-call runbooks, and built a TypeScript and Kafka pipeline for 2,000 stores.',
      '',
      'Two days a week in Berlin suits me well, and I can start on 11 January 2027.',
      '',
      'Best regards,',
      'Ana',
    ].join('\n'),
  },
};

/** The label of the board's consent box for a listing. */
export function consentLabel(company: string): string {
  return `I consent to Lantern Jobs sharing this application with ${company}`;
}

/** The form's values as the model fills them (the resume by its path under the allowed root). */
export function applicationFields(
  which: keyof typeof APPLICATIONS,
  cvPath: string,
): { target: { label: string }; value: string | boolean }[] {
  const a = APPLICATIONS[which];
  const listing = findListing(a.listing)!;
  return [
    { target: { label: 'Full name' }, value: PERSON.name },
    { target: { label: 'Email' }, value: PERSON.email },
    { target: { label: 'Phone' }, value: PERSON.phone },
    { target: { label: 'Resume (PDF or DOCX)' }, value: cvPath },
    { target: { label: 'Cover letter' }, value: a.letter },
    { target: { label: 'Preferred way of working' }, value: a.workMode },
    ...a.skills.map((s) => ({ target: { label: s }, value: true })),
    { target: { label: consentLabel(listing.company) }, value: true },
  ];
}

export function goldenTurns(which: keyof typeof APPLICATIONS, boardUrl: string, cvPath: string): GoldenTurn[] {
  const a = APPLICATIONS[which];
  const listing = findListing(a.listing)!;
  const board = boardUrl.replace(/\/$/, '');
  const job = `${board}/jobs/${listing.id}`;
  const session = 'apply';
  const turn = (step: number, text: string, toolCalls: GoldenTurn['toolCalls'], lastToolResult?: string): GoldenTurn => ({
    match: { lastUser: a.keyword, step, ...(lastToolResult ? { lastToolResult } : {}) },
    text,
    toolCalls,
  });
  return [
    turn(0, 'First I will look at the open roles on the board.', [{ name: 'web_navigate', arguments: { url: `${board}/` } }]),
    turn(
      1,
      `The ${a.keyword} role is "${listing.title}" at ${listing.company}; reading it.`,
      [{ name: 'web_navigate', arguments: { url: job } }],
      listing.title,
    ),
    turn(
      2,
      'Now the CV and notes, for what matches the requirements.',
      [{ name: 'memory_search', arguments: { query: a.search, k: 4 } }],
      'What we look for',
    ),
    turn(3, '', [{ name: 'memory_search', arguments: { query: 'cover letter notes start date way of working', k: 3 } }]),
    turn(4, 'Opening the application form.', [{ name: 'web_navigate', arguments: { url: `${job}/apply` } }]),
    turn(
      5,
      'The board wants a sign-in. The notes say the login is saved as the browser session "lantern"; restoring it.',
      [{ name: 'web_session_open', arguments: { session, restore: 'lantern', trace: true } }],
      'Sign in to apply',
    ),
    turn(6, '', [{ name: 'web_navigate', arguments: { session, url: `${job}/apply` } }]),
    turn(
      7,
      'Filling in the whole application with the CV attached and a cover letter drafted from the CV and notes.',
      [{ name: 'web_fill_form', arguments: { session, fields: applicationFields(which, cvPath), submit: true } }],
      'Cover letter',
    ),
    turn(
      8,
      'The board confirms the application. Keeping a screenshot of the confirmation.',
      [{ name: 'web_screenshot', arguments: { session } }],
      'Application received',
    ),
    turn(9, '', [{ name: 'web_session_close', arguments: { session } }]),
    turn(
      10,
      `Applied for ${listing.title} at ${listing.company} with your CV (cv.pdf) and a cover letter drawn from your CV and notes; the board answered "Application received" with a reference on the confirmation page (screenshot and trace kept with this run).`,
      [],
    ),
  ];
}
