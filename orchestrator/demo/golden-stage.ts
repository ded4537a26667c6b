// The golden path's stage: a data directory with the person's CV (a real PDF) and notes under the
// allowed root, the job board running with her account, her earlier sign-in kept as the saved
// browser session "lantern", a policy that opens just the documents folder and the board, and the
// budget server pointed at a model — the scripted provider with the golden path's turns, or any
// provider (tests use a fake Ollama server).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Client } from '@modelcontextprotocol/client';

import { HearthError } from '../../lib/errors.js';
import { SavedSessions } from '../../servers/web/saved-sessions.js';
import { APPLICATIONS, goldenTurns } from './golden-path.js';
import { type JobBoard, startJobBoard } from './job-board/board.js';
import { cvPdf, NOTES, PERSON } from './person.js';

export type GoldenModel =
  | { kind: 'scripted' }
  /** Any Ollama server; a price makes the ledger show money (a local model otherwise costs 0). */
  | { kind: 'ollama'; baseUrl: string; model: string; price?: { inputPerMTok: number; outputPerMTok: number } };

export interface GoldenStage {
  home: string;
  documents: string;
  cvPath: string;
  board: JobBoard;
  close(): Promise<void>;
}

export async function prepareGoldenStage(
  home: string,
  model: GoldenModel,
  mode: 'draft' | 'autopilot' | 'observe' = 'draft',
): Promise<GoldenStage> {
  const documents = join(home, 'documents');
  mkdirSync(documents, { recursive: true });
  const cvPath = join(documents, 'cv.pdf');
  writeFileSync(cvPath, cvPdf());
  writeFileSync(join(documents, 'job-search-notes.md'), NOTES);
  const board = await startJobBoard([{ email: PERSON.email, password: PERSON.boardPassword, name: PERSON.name }]);
  new SavedSessions(join(home, 'web', 'sessions')).save('lantern', { cookies: [{ ...board.signIn(PERSON.email) }], origins: [] });
  const provider = model.kind === 'scripted' ? 'scripted' : 'ollama';
  writeFileSync(
    join(home, 'policy.json'),
    `${JSON.stringify(
      { version: 1, mode, roots: [documents], web: { origins: [board.origin] }, outbound: { hosts: [] }, llm: { providers: [provider] } },
      null,
      2,
    )}\n`,
  );
  let budget: Record<string, unknown>;
  if (model.kind === 'scripted') {
    const script = join(home, 'golden-path.script.json');
    const turns = [...goldenTurns('backend', board.url, cvPath), ...goldenTurns('platform', board.url, cvPath)];
    writeFileSync(script, `${JSON.stringify({ name: 'golden path', turns }, null, 2)}\n`);
    budget = { providers: { scripted: { script } }, tiers: { fast: ['scripted/golden-path'], smart: ['scripted/golden-path'] } };
  } else {
    budget = {
      providers: { ollama: { baseUrl: model.baseUrl } },
      tiers: { fast: [`ollama/${model.model}`], smart: [`ollama/${model.model}`] },
      retry: { attempts: 1 },
      ...(model.price ? { prices: { [`ollama/${model.model}`]: model.price } } : {}),
    };
  }
  writeFileSync(join(home, 'config.json'), `${JSON.stringify({ servers: { budget } }, null, 2)}\n`);
  return { home, documents, cvPath, board, close: () => board.close() };
}

/** The person's own step before any run: their CV and notes into memory (collection "me"). */
export async function ingestDocuments(memory: Client, documents: string): Promise<string> {
  const result = await memory.callTool({ name: 'memory_ingest', arguments: { paths: [documents], collection: 'me' } });
  const text = ((result.content ?? []) as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
  if (result.isError) throw new HearthError('INTERNAL', `ingesting the CV and notes failed: ${text}`, 'See the memory server’s log.');
  return text;
}

/** The task the person types, for one of the two applications. */
export function goldenTask(which: keyof typeof APPLICATIONS, boardUrl: string): string {
  return `Apply to the ${APPLICATIONS[which].keyword} role at ${boardUrl} with my CV`;
}
