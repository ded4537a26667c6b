// Signed grants: how one approval of a whole plan covers exactly the calls that were previewed.
// The plan server signs, per previewed call, (server, tool, argument hash, run, idempotency key,
// expiry, the approval that covers it) with an HMAC key kept in the Hearth home; the target server's
// kernel checks the signature and the binding before letting a draft-mode call run unasked. A grant
// for other arguments, another tool or server, or past its expiry is simply not a grant: the call
// asks as usual.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as z from 'zod';

import { ensureDir } from '../lib/home.js';

const GrantPayload = z
  .object({
    v: z.literal(1),
    server: z.string().min(1).max(64),
    tool: z.string().min(1).max(128),
    /** callHash(server, tool, the arguments exactly as sent). */
    argsHash: z.string().regex(/^[0-9a-f]{64}$/),
    run: z.string().min(1).max(128),
    /** The idempotency key the call must carry, so a replayed grant cannot cause a second effect. */
    key: z.string().min(1).max(200),
    /** The plan approval this grant comes from, named in the target's audit row. */
    approval: z.string().min(1).max(128),
    expiresAt: z.number().int(),
  })
  .strict();
export type GrantPayload = z.infer<typeof GrantPayload>;

/** What a call presents: who it is, so the grant can be checked against it. */
export interface GrantedCall {
  server: string;
  tool: string;
  argsHash: string;
  idempotencyKey: string | undefined;
}

export type GrantCheck = { ok: true; grant: GrantPayload } | { ok: false; problem: string };

const KEY_FILE = 'grant.key';

/**
 * Reads the home's grant key, making it (0600, and the home 0700 if it is new) the first time; two
 * processes racing both end up with the winner's key.
 */
export function loadGrantKey(home: string): Buffer {
  const file = join(ensureDir(home), KEY_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} is not a grant key (64 hex characters); delete it and it is made again`);
  return Buffer.from(text, 'hex');
}

export class GrantSigner {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  sign(payload: Omit<GrantPayload, 'v'>): string {
    const body = Buffer.from(JSON.stringify({ v: 1, ...payload })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** Whether `token` is a valid, unexpired grant for exactly this call. */
  check(token: unknown, call: GrantedCall): GrantCheck {
    if (typeof token !== 'string' || token.length > 4_000) return { ok: false, problem: 'not a grant token' };
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return { ok: false, problem: 'malformed grant token' };
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'bad signature' };
    let parsed: z.ZodSafeParseResult<GrantPayload>;
    try {
      parsed = GrantPayload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return { ok: false, problem: 'unreadable grant' };
    }
    if (!parsed.success) return { ok: false, problem: 'unreadable grant' };
    const grant = parsed.data;
    if (grant.expiresAt <= this.now()) return { ok: false, problem: 'expired' };
    if (grant.server !== call.server || grant.tool !== call.tool) return { ok: false, problem: 'granted for another tool' };
    if (grant.argsHash !== call.argsHash) return { ok: false, problem: 'granted for other arguments' };
    if (grant.key !== call.idempotencyKey) return { ok: false, problem: 'granted for another idempotency key' };
    return { ok: true, grant };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(`hearth-grant\n${body}`).digest('base64url');
  }
}
