// The demo person: Ana Fernández, a backend engineer looking for work. Her CV (a real PDF, made by
// pdf.ts) and her job-search notes are what the golden path reads from memory.
import { makePdf, type PdfLine } from './pdf.js';

export const PERSON = {
  name: 'Ana Fernández',
  email: 'ana.fernandez@example.org',
  phone: '+34 600 123 456',
  /** Her account on the job board (signed in once, kept as a saved browser session). */
  boardPassword: 'correct-horse-lantern',
} as const;

const CV: PdfLine[] = [
  { text: 'Ana Fernández', size: 20 },
  { text: `Backend engineer · Valencia, Spain · ${PERSON.email} · ${PERSON.phone}` },
  { text: 'Profile', size: 14, gap: 10 },
  { text: 'Backend engineer with six years of TypeScript on Node.js and PostgreSQL in production. I like' },
  { text: 'small teams, boring technology and APIs that are pleasant to use.' },
  { text: 'Experience', size: 14, gap: 10 },
  { text: 'Senior Backend Engineer, Tidewater Tickets (2022-now)' },
  { text: '- Moved the booking API from a monolith to three Node.js services; p99 latency from 900 ms to 180 ms.' },
  { text: '- Owned the PostgreSQL schema and zero-downtime migrations for 40 million bookings.' },
  { text: '- Introduced contract tests that caught 30+ breaking changes before release.' },
  { text: 'Backend Engineer, Orchard Analytics (2019-2022)' },
  { text: '- Built the ingestion pipeline (TypeScript, Kafka, PostgreSQL) for 2,000 retail stores.' },
  { text: '- Ran our services on Kubernetes; wrote the Helm charts and the on-call runbooks.' },
  { text: 'Skills', size: 14, gap: 10 },
  { text: 'TypeScript, Node.js, PostgreSQL, Kafka, Kubernetes, Terraform, Go (reading), testing, API design.' },
  { text: 'Education', size: 14, gap: 10 },
  { text: 'BSc Computer Engineering, Universitat Politècnica de València (2018)' },
  { text: 'Languages: Spanish (native), English (C1), Catalan (fluent).' },
];

export function cvPdf(): Buffer {
  return makePdf('Ana Fernández - CV', CV);
}

export const NOTES = `# Job search notes

## What I want
- Backend or platform roles; remote preferred, hybrid is fine up to two days a week.
- Notice period: one month. Can start on 2027-01-11.
- Salary: at least €65,000.

## For cover letters
- Mention the booking API migration at Tidewater (p99 from 900 ms to 180 ms) for anything with APIs or latency.
- For platform roles, mention the Helm charts and on-call runbooks at Orchard.
- Keep it under 200 words, warm but not gushing. Sign as Ana.

## Accounts
- Lantern Jobs: signed in with ana.fernandez@example.org; the browser session is saved as "lantern".
`;
