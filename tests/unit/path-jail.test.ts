// Hostile paths against the jail, with real folders and real symlinks.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { type HearthError } from '../../lib/errors.js';
import { PathJail } from '../../lib/path-jail.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let t: TempHome;
let root: string;
let outside: string;
let jail: PathJail;

beforeEach(() => {
  t = tempHome();
  root = join(t.dir, 'root');
  outside = join(t.dir, 'outside');
  mkdirSync(join(root, 'docs'), { recursive: true });
  mkdirSync(outside);
  mkdirSync(join(t.dir, 'root-evil'));
  writeFileSync(join(root, 'docs', 'a.md'), '# a');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  writeFileSync(join(t.dir, 'root-evil', 'x.txt'), 'x');
  symlinkSync(outside, join(root, 'escape-dir'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'escape-file'));
  symlinkSync(join(root, 'docs'), join(root, 'inner-link'));
  jail = new PathJail([root]);
});
afterEach(() => t.cleanup());

function code(fn: () => unknown): string {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as HearthError).code;
  }
}

it('allows paths inside the root, relative or absolute, and symlinks that stay inside', () => {
  expect(jail.resolve('docs/a.md')).toBe(join(root, 'docs', 'a.md'));
  expect(jail.resolve(join(root, 'docs', 'a.md'))).toBe(join(root, 'docs', 'a.md'));
  expect(jail.resolve('inner-link/a.md')).toBe(join(root, 'docs', 'a.md'));
  expect(jail.resolve('docs/new-file.md')).toBe(join(root, 'docs', 'new-file.md'));
  expect(jail.resolve('.')).toBe(root);
});

it.each([
  ['dot-dot out of the root', '../outside/secret.txt'],
  ['dot-dot hidden in the middle', 'docs/../../outside/secret.txt'],
  ['absolute path elsewhere', '/etc/passwd'],
  ['sibling folder sharing the prefix', '../root-evil/x.txt'],
  ['symlinked folder pointing out', 'escape-dir/secret.txt'],
  ['symlinked file pointing out', 'escape-file'],
  ['new file under a symlinked folder pointing out', 'escape-dir/new.txt'],
  ['new folder chain under a symlink pointing out', 'escape-dir/a/b/c.txt'],
])('refuses %s', (_label, input) => {
  expect(code(() => jail.resolve(input))).toBe('OUT_OF_ROOTS');
});

it('refuses NUL bytes and empty paths as invalid arguments, naming the field', () => {
  expect(code(() => jail.resolve('docs/a.md\0.txt'))).toBe('INVALID_ARGUMENT');
  expect(code(() => jail.resolve(''))).toBe('INVALID_ARGUMENT');
  try {
    jail.resolve('/etc/passwd', { field: 'files[2].path' });
  } catch (error) {
    expect((error as HearthError).message).toMatch(/^files\[2\]\.path: /);
  }
});

it('with no roots, nothing is allowed', () => {
  expect(code(() => new PathJail([]).resolve(join(root, 'docs', 'a.md')))).toBe('OUT_OF_ROOTS');
});

it('a root given through a symlink works through either spelling', () => {
  symlinkSync(root, join(t.dir, 'root-link'));
  const viaLink = new PathJail([join(t.dir, 'root-link')]);
  expect(viaLink.resolve(join(t.dir, 'root-link', 'docs', 'a.md'))).toBe(join(root, 'docs', 'a.md'));
  expect(viaLink.resolve(join(root, 'docs', 'a.md'))).toBe(join(root, 'docs', 'a.md'));
  expect(code(() => viaLink.resolve(join(t.dir, 'root-link', 'escape-dir', 'secret.txt')))).toBe('OUT_OF_ROOTS');
});
