import { describe, expect, it } from 'vitest';

import { base64Cores, REDACTED, Redactor, secretsFromEnv } from '../../shared/redact.js';

it('redacts configured secrets in every form they may take on the way out', () => {
  const secret = 'hunter2-but-longer/+=';
  const r = new Redactor([secret]);
  for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
    expect(r.text(`before ${form} after`)).not.toContain(form.replace(/=+$/, ''));
  }
  expect(r.text(`x ${secret} y`)).toBe(`x ${REDACTED} y`);
});

it('redacts deeply, keys included, without touching the original', () => {
  const r = new Redactor(['s3cr3t-value']);
  const original = { a: ['s3cr3t-value', { 's3cr3t-value': 1 }], n: 5, ok: true, nil: null };
  const out = r.value(original);
  expect(JSON.stringify(out)).not.toContain('s3cr3t-value');
  expect(out.n).toBe(5);
  expect(original.a[0]).toBe('s3cr3t-value');
});

it('catches well-known key shapes and provider keys in the environment', () => {
  const r = new Redactor([]);
  expect(r.text('key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123')).toBe(`key ${REDACTED}`);
  expect(r.text('AKIAIOSFODNN7EXAMPLE')).toBe(REDACTED);
  expect(secretsFromEnv({ OPENAI_API_KEY: 'abc123456', HOME: '/root', GITHUB_TOKEN: 'tok1234567', SHORT_TOKEN: 'abc' })).toEqual([
    'abc123456',
    'tok1234567',
  ]);
});

it('ignores secrets too short to redact safely, and applies policy patterns', () => {
  const r = new Redactor(['abc'], ['ticket-\\d{4}']);
  expect(r.text('abc ticket-1234')).toBe(`abc ${REDACTED}`);
});

it('secrets learnt while running are redacted from then on', () => {
  const r = new Redactor([]);
  expect(r.text('pw hunter22x')).toBe('pw hunter22x');
  r.add('hunter22x');
  r.add('abc'); // too short: ignored
  expect(r.text('pw hunter22x abc')).toBe(`pw ${REDACTED} abc`);
  expect(r.text(encodeURIComponent('hunter22x'))).toBe(REDACTED);
});

describe('a secret inside longer data, encoded', () => {
  const secrets = ['hunter2-but-longer/+=', 'k3y-6!', 'pässwörd-ünïcode-ß', 'Zx9#qL2!tokenvalue'];
  const around = ['', 'x', 'xy', 'xyz', 'abcd', '\u0000\u00ff\u0080', 'a longer run of text before it, '];
  const after = ['', 'q', 'qr', 'qrs', '\u0000'];
  const encodings: [string, (b: Buffer) => string, (s: string) => Buffer][] = [
    ['base64', (b) => b.toString('base64'), (s) => Buffer.from(s, 'base64')],
    ['base64 unpadded', (b) => b.toString('base64').replace(/=+$/, ''), (s) => Buffer.from(s, 'base64')],
    ['base64url', (b) => b.toString('base64url'), (s) => Buffer.from(s, 'base64url')],
    ['hex', (b) => b.toString('hex'), (s) => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex')],
    ['HEX', (b) => b.toString('hex').toUpperCase(), (s) => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex')],
  ];

  it('is redacted at every alignment, in base64, base64url and hex', () => {
    for (const secret of secrets) {
      const r = new Redactor([secret]);
      for (const before of around)
        for (const tail of after)
          for (const [name, encode, decode] of encodings) {
            const data = Buffer.concat([Buffer.from(before, 'latin1'), Buffer.from(secret), Buffer.from(tail, 'latin1')]);
            const out = r.text(`value: ${encode(data)}`);
            const where = `${name} of ${JSON.stringify(before)} + ${JSON.stringify(secret)} + ${JSON.stringify(tail)}`;
            expect(out, where).toContain(REDACTED);
            expect(decode(out.slice('value: '.length)).includes(Buffer.from(secret)), where).toBe(false);
          }
    }
  });

  it('base64Cores are exactly the characters that depend on the secret alone', () => {
    const secret = Buffer.from('0123456789');
    for (let shift = 0; shift < 3; shift++)
      for (const fill of [0x00, 0xff]) {
        const encoded = Buffer.concat([Buffer.alloc(shift, fill), secret, Buffer.alloc(2, fill)]).toString('base64');
        expect(encoded).toContain(base64Cores(secret)[shift]);
      }
  });

  it('is redacted in binary data as bytes, and a base64 content block stays valid base64', () => {
    const r = new Redactor(['binary-secret-1']);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from('binary-secret-1'), Buffer.from([0, 1, 2])]);
    expect(r.bytes(png).includes(Buffer.from('binary-secret-1'))).toBe(false);
    const block = r.value({ content: [{ type: 'image', mimeType: 'image/png', data: png.toString('base64') }] });
    const data = block.content[0]!.data;
    expect(data).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(data, 'base64').toString('latin1')).toContain(REDACTED);
    const resource = r.value({ contents: [{ uri: 'hearth://x', blob: Buffer.concat([Buffer.from('zz'), png]).toString('base64') }] });
    expect(Buffer.from(resource.contents[0]!.blob, 'base64').includes(Buffer.from('binary-secret-1'))).toBe(false);
  });
});

describe('walking values', () => {
  it('redacts at any depth without recursion, keeps key order, and copes with shared and circular references', () => {
    const r = new Redactor(['deep-secret-value']);
    let deep: unknown = 'deep-secret-value';
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    const out = r.value({ deep });
    let node: unknown = out.deep;
    while (typeof node === 'object' && node !== null) node = Array.isArray(node) ? node[0] : (node as { k: unknown }).k;
    expect(node).toBe(REDACTED);

    expect(Object.keys(r.value({ b: 1, a: 2, ['__proto__']: 3, c: 'deep-secret-value' }))).toEqual(['b', 'a', '__proto__', 'c']);
    const shared = { s: 'deep-secret-value' };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const copy = r.value(cyclic);
    expect(copy.self).toBe(copy);
    expect((copy.shared as { s: string }).s).toBe(REDACTED);
    expect(copy.again).toBe(copy.shared);
  });
});
