// Loading a policy file: JSON validated by the zod schema. A bad file stops the server at start
// with the file, the field and the problem.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import { HearthError } from '../lib/errors.js';
import { formatIssues } from '../lib/zod-issues.js';
import defaultPolicy from './default-policy.json' with { type: 'json' };
import { badOriginPatterns } from './patterns.js';
import { Policy } from './schema.js';

export interface LoadedPolicy {
  policy: Policy;
  /** The file it came from; `built-in default` when none was configured. */
  source: string;
}

/** The built-in default policy, as the text `hearth policy init` writes. */
export function defaultPolicyText(): string {
  return `${JSON.stringify(defaultPolicy, null, 2)}\n`;
}

function expand(path: string, base: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}

export function parsePolicy(raw: string, source: string, base: string): Policy {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new HearthError(
      'POLICY_INVALID',
      `policy file ${source}: not valid JSON (${(error as Error).message})`,
      'Fix the JSON syntax in the policy file.',
    );
  }
  const parsed = Policy.safeParse(json);
  if (!parsed.success) {
    throw new HearthError(
      'POLICY_INVALID',
      formatIssues(`policy file ${source}`, parsed.error),
      'Fix that field; see docs/security.md for every policy field.',
    );
  }
  for (const [i, pattern] of parsed.data.redact.patterns.entries()) {
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new HearthError(
        'POLICY_INVALID',
        `policy file ${source}: redact.patterns.${i}: not a valid regular expression (${(error as Error).message})`,
        'Fix the pattern.',
      );
    }
  }
  for (const [i, pattern] of parsed.data.web.origins.entries()) {
    if (badOriginPatterns([pattern]).length) {
      throw new HearthError(
        'POLICY_INVALID',
        `policy file ${source}: web.origins.${i}: ${JSON.stringify(pattern)} is not an origin pattern`,
        'Write origins as scheme://host[:port], e.g. https://example.com or http://127.0.0.1:*.',
      );
    }
  }
  return { ...parsed.data, roots: parsed.data.roots.map((r) => expand(r, base)) };
}

/** Loads `file`, or `<home>/policy.json` when present, or the built-in default. */
export function loadPolicy(file: string | undefined, home: string): LoadedPolicy {
  const candidate = file ?? (existsSync(join(home, 'policy.json')) ? join(home, 'policy.json') : undefined);
  if (candidate === undefined) {
    return { policy: parsePolicy(defaultPolicyText(), 'built-in default', home), source: 'built-in default' };
  }
  if (!existsSync(candidate)) {
    throw new HearthError(
      'POLICY_INVALID',
      `policy file ${candidate}: does not exist`,
      'Check the policyFile setting (HEARTH_POLICY or --policy), or remove it to use the default policy.',
    );
  }
  return { policy: parsePolicy(readFileSync(candidate, 'utf8'), candidate, dirname(candidate)), source: candidate };
}
