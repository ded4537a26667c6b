// Per-call limits: a call may ask for less than the server's settings, never more. Asking for more
// is a clear error naming the field and the maximum, so a model learns the bound instead of being
// silently clamped.
import * as z from 'zod';

import { invalidArgument } from '../../lib/errors.js';
import type { CodeSettings } from './settings.js';

export const LimitsInput = z
  .object({
    wallMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Wall-clock time the run may take, in ms. At most the server setting wallMs (default 10000).'),
    cpuMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('CPU time the run may use, in ms. At most the server setting cpuMs (default 10000).'),
    memoryMb: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Heap cap in MB for a one-shot run. A session’s cap is fixed by code_session_open. At most the server setting memoryMb (default 128).',
      ),
    outputChars: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Characters of stdout and of stderr to keep. At most the server setting outputChars (default 64000).'),
  })
  .strict();
export type LimitsInput = z.infer<typeof LimitsInput>;

/** What the sandbox enforces for one run. */
export interface RunLimits {
  wallMs: number;
  cpuMs: number;
  outputChars: number;
  resultChars: number;
  fetchMaxRequests: number;
}

function pick(field: string, asked: number | undefined, max: number, setting: string): number {
  if (asked === undefined) return max;
  if (asked > max)
    throw invalidArgument(
      field,
      `${asked} is above the server's maximum of ${max}`,
      `Ask for ${max} or less; a person can raise servers.code.${setting} in the config.`,
    );
  return asked;
}

export function resolveRunLimits(settings: CodeSettings, asked: LimitsInput | undefined): RunLimits {
  return {
    wallMs: pick('limits.wallMs', asked?.wallMs, settings.wallMs, 'wallMs'),
    cpuMs: pick('limits.cpuMs', asked?.cpuMs, settings.cpuMs, 'cpuMs'),
    outputChars: pick('limits.outputChars', asked?.outputChars, settings.outputChars, 'outputChars'),
    resultChars: settings.resultChars,
    fetchMaxRequests: settings.fetchMaxRequests,
  };
}

export function resolveMemoryMb(settings: CodeSettings, asked: number | undefined, field = 'limits.memoryMb'): number {
  const mb = pick(field, asked, settings.memoryMb, 'memoryMb');
  if (mb < 8) throw invalidArgument(field, `${mb} MB is below the smallest isolate (8 MB)`, 'Ask for 8 MB or more.');
  return mb;
}
