// The authenticator's decisions: the token and a remembered passphrase always pass; every other
// attempt reserves a failure before the slow check; at most a few argon2 checks run at once.
import { describe, expect, it } from 'vitest';

import { AUTH_FAILURES_PER_MINUTE, HttpAuthenticator, MAX_VERIFYING, MAX_WAITING } from '../../shared/http-auth.js';

/** A verify that holds each check until released, and counts how many ran at once. */
function heldVerify(right: string) {
  const held: (() => void)[] = [];
  const stats = { calls: 0, running: 0, most: 0 };
  const verify = async (_hash: string, presented: string) => {
    stats.calls++;
    stats.running++;
    stats.most = Math.max(stats.most, stats.running);
    await new Promise<void>((resolve) => held.push(resolve));
    stats.running--;
    return presented === right;
  };
  /** Releases every check, including those that start while earlier ones finish. */
  const releaseAll = async () => {
    for (let idle = 0; idle < 5; idle++) {
      if (held.length || stats.running) idle = 0;
      held.splice(0).forEach((r) => r());
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { verify, stats, releaseAll };
}

describe('HttpAuthenticator', () => {
  it('reserves a failure before verifying: a parallel flood from one address gets at most the allowance checked', async () => {
    const v = heldVerify('right passphrase');
    const auth = new HttpAuthenticator({ token: 'the-token-0123456789', passphraseHash: '$argon2id$stub' }, { verify: v.verify });
    const flood = Array.from({ length: 300 }, (_, i) => auth.authenticate(`guess-${i}`, '127.0.0.1'));
    // While the flood is in flight, the right token passes at once from the same address.
    expect(await auth.authenticate('the-token-0123456789', '127.0.0.1')).toMatchObject({ ok: true });
    await v.releaseAll();
    const decisions = await Promise.all(flood);
    const checked = decisions.filter((d) => !d.ok && d.status === 401).length;
    expect(checked).toBeLessThanOrEqual(AUTH_FAILURES_PER_MINUTE);
    expect(v.stats.calls).toBe(checked);
    expect(decisions.filter((d) => !d.ok && d.status === 429).length).toBe(300 - checked);
    expect(v.stats.most).toBeLessThanOrEqual(MAX_VERIFYING);
    // After it, the token still passes.
    expect(await auth.authenticate('the-token-0123456789', '127.0.0.1')).toMatchObject({ ok: true });
  });

  it('runs at most MAX_VERIFYING checks at once, queues MAX_WAITING, and turns the rest away as busy', async () => {
    const v = heldVerify('right passphrase');
    const auth = new HttpAuthenticator({ passphraseHash: '$argon2id$stub' }, { verify: v.verify });
    // Different addresses: the per-address allowance does not apply, the in-flight bound does.
    const attempts = Array.from({ length: 20 }, (_, i) => auth.authenticate(`guess-${i}`, `10.0.0.${i}`));
    await new Promise((r) => setTimeout(r, 0));
    expect(v.stats.running).toBe(MAX_VERIFYING);
    await v.releaseAll();
    const decisions = await Promise.all(attempts);
    expect(v.stats.most).toBe(MAX_VERIFYING);
    expect(decisions.filter((d) => !d.ok && d.reason === 'busy')).toHaveLength(20 - MAX_VERIFYING - MAX_WAITING);
    expect(decisions.filter((d) => !d.ok && d.status === 401)).toHaveLength(MAX_VERIFYING + MAX_WAITING);
  });

  it('a verified passphrase is remembered: it passes during a flood and gives its reservation back', async () => {
    const v = heldVerify('right passphrase');
    const auth = new HttpAuthenticator({ passphraseHash: '$argon2id$stub' }, { verify: v.verify });
    const first = auth.authenticate('right passphrase', '127.0.0.1');
    await v.releaseAll();
    expect(await first).toMatchObject({ ok: true, info: { clientId: expect.stringMatching(/^passphrase:/) } });
    const flood = Array.from({ length: 100 }, (_, i) => auth.authenticate(`guess-${i}`, '127.0.0.1'));
    expect(await auth.authenticate('right passphrase', '127.0.0.1')).toMatchObject({ ok: true });
    await v.releaseAll();
    const decisions = await Promise.all(flood);
    // The right passphrase took nothing from the allowance: all of it went to the guesses.
    expect(decisions.filter((d) => !d.ok && d.reason === 'too-many-failures')).toHaveLength(100 - AUTH_FAILURES_PER_MINUTE);
    expect(await auth.authenticate(undefined, '127.0.0.1')).toEqual({ ok: false, status: 401, reason: 'missing' });
  });
});
