// The benchmark's task, shared by every contestant: fill the test site's 10-field job application
// and submit it, then read the confirmation page, which must show every value.
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Applicant {
  name: string;
  email: string;
  phone: string;
  position: string;
  start: string;
  experience: string;
  relocate: boolean;
  resume: string;
  cover: string;
  terms: boolean;
}

/** The values, and what the confirmation page must show for each. */
export function applicant(dir: string): { data: Applicant; expected: string[] } {
  const resume = join(dir, 'cv.txt');
  writeFileSync(resume, 'Ada Lovelace — gardener. References on request.\n');
  const data: Applicant = {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: '+44 20 7946 0000',
    position: 'Senior gardener',
    start: '2026-09-01',
    experience: '3–5 years',
    relocate: true,
    resume,
    cover: 'I have kept a walled garden for six years.',
    terms: true,
  };
  return {
    data,
    expected: [
      'Ada Lovelace',
      'ada@example.com',
      '+44 20 7946 0000',
      'senior-gardener',
      '2026-09-01',
      '3-5',
      'yes',
      'I have kept a walled garden for six years.',
      'accepted',
      'cv.txt',
    ],
  };
}

export function workDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'hearth-web-bench-')));
}

/** Throws unless the confirmation text shows every expected value. */
export function checkConfirmation(contestant: string, text: string, expected: readonly string[]): void {
  const missing = expected.filter((v) => !text.includes(v));
  if (missing.length) throw new Error(`${contestant}: the confirmation does not show ${missing.join(', ')}:\n${text.slice(0, 2000)}`);
}

/** What one run of the task cost a contestant. */
export interface RunCost {
  calls: number;
  bytes: number;
}

export interface Contestant {
  name: string;
  /** Starts whatever the contestant needs and warms it up (not measured). */
  setup(): Promise<void>;
  /** One full task: open the form, fill it, submit, read the confirmation. */
  run(): Promise<RunCost>;
  close(): Promise<void>;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
