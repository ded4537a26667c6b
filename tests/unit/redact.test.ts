import { expect, it } from 'vitest';

import { REDACTED, Redactor, secretsFromEnv } from '../../shared/redact.js';

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
