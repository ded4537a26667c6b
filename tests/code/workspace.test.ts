// The workspace jail and its limits, on real temp folders with real symlinks.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { buildZip, planPackage } from '../../servers/code/workspace/package-zip.js';
import { Workspace } from '../../servers/code/workspace/workspace.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let ws: Workspace;
const limits = { maxFileBytes: 100, maxWorkspaceBytes: 250, maxWorkspaceFiles: 4 };

beforeEach(() => {
  home = tempHome('hearth-code-ws-');
  ws = new Workspace(join(home.dir, 'ws'), limits);
});
afterEach(() => home.cleanup());

const bytes = (s: string) => Buffer.from(s);

describe('Workspace', () => {
  it('creates its folder with the first write, not before: reading, listing and checking leave the disk alone', () => {
    expect(ws.list()).toEqual([]);
    expect(ws.usage()).toEqual({ bytes: 0, files: 0 });
    expect(ws.exists('a.txt')).toBe(false);
    expect(() => ws.read('a.txt')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => ws.resolve('../out')).toThrow(expect.objectContaining({ code: 'OUT_OF_ROOTS' }));
    expect(existsSync(ws.dir)).toBe(false);
    ws.write('a.txt', bytes('hi'));
    expect(statSync(ws.dir).mode & 0o777).toBe(0o700);
    expect(ws.list().map((e) => e.path)).toEqual(['a.txt']);
  });

  it('writes, reads, lists and deletes inside the folder', () => {
    expect(ws.write('a/b/c.txt', bytes('hello'))).toEqual({ path: 'a/b/c.txt', created: true, bytes: 5 });
    expect(ws.write('a/b/c.txt', bytes('hello!'))).toMatchObject({ created: false, bytes: 6 });
    expect(ws.read('a/b/c.txt').toString()).toBe('hello!');
    expect(ws.list().map((e) => `${e.kind}:${e.path}`)).toEqual(['dir:a', 'dir:a/b', 'file:a/b/c.txt']);
    expect(ws.readRange('a/b/c.txt', 2, 3)).toEqual({ bytes: bytes('llo'), size: 6 });
    expect(() => ws.delete('a')).toThrow(/a is a folder/);
    expect(ws.delete('a', { recursive: true })).toEqual(['a/b/c.txt', 'a']);
    expect(ws.list()).toEqual([]);
  });

  it('refuses .., absolute paths, NUL bytes and the workspace itself', () => {
    expect(() => ws.write('../x.txt', bytes('x'))).toThrow(/leads outside the workspace/);
    expect(() => ws.read('/etc/hostname')).toThrow(/absolute path/);
    expect(() => ws.write('a\0b', bytes('x'))).toThrow(/NUL byte/);
    expect(() => ws.delete('.')).toThrow(/workspace itself/);
    expect(existsSync(join(home.dir, 'x.txt'))).toBe(false);
  });

  it('does not follow symlinks out, and writing to a symlink replaces the link, not its target', () => {
    const outside = join(home.dir, 'outside.txt');
    writeFileSync(outside, 'secret');
    mkdirSync(ws.dir);
    symlinkSync(outside, join(ws.dir, 'link.txt'));
    symlinkSync(home.dir, join(ws.dir, 'dir-link'));
    expect(() => ws.read('link.txt')).toThrow(/outside/);
    expect(() => ws.write('dir-link/new.txt', bytes('x'))).toThrow(/outside/);
    expect(ws.list().find((e) => e.path === 'dir-link')?.kind).toBe('symlink');
    ws.write('link.txt', bytes('mine'));
    expect(readFileSync(outside, 'utf8')).toBe('secret');
    expect(ws.read('link.txt').toString()).toBe('mine');
  });

  it('enforces file size, workspace size and file count, writing nothing on failure', () => {
    expect(() => ws.write('big', Buffer.alloc(101))).toThrow(/file limit/);
    ws.write('one', Buffer.alloc(100));
    ws.write('two', Buffer.alloc(100));
    expect(() => ws.write('three', Buffer.alloc(100))).toThrow(/250-byte limit/);
    expect(() =>
      ws.writeMany([
        { path: 'p', data: bytes('1'), field: 'files[0]' },
        { path: 'q', data: bytes('1'), field: 'files[1]' },
        { path: 'r', data: bytes('1'), field: 'files[2]' },
      ]),
    ).toThrow(/4-file limit/);
    expect(ws.list().map((e) => e.path)).toEqual(['one', 'two']);
    expect(readdirSync(ws.dir).some((n) => n.startsWith('.hearth-tmp-'))).toBe(false);
  });

  it('writeMany is all-or-nothing when one path is bad', () => {
    expect(() =>
      ws.writeMany([
        { path: 'good.txt', data: bytes('x'), field: 'files[0]' },
        { path: '../bad', data: bytes('x'), field: 'files[1]' },
      ]),
    ).toThrow(/files\[1\]/);
    expect(ws.exists('good.txt')).toBe(false);
  });
});

describe('code_package domain', () => {
  it('zips files with their workspace paths, leaves symlinks out, and the zip round-trips', () => {
    const big = new Workspace(join(home.dir, 'ws2'), { maxFileBytes: 1e6, maxWorkspaceBytes: 1e7, maxWorkspaceFiles: 100 });
    big.write('data/a.csv', bytes('a,b\n1,2\n'));
    big.write('chart.svg', bytes('<svg/>'));
    mkdirSync(big.dir, { recursive: true });
    symlinkSync(join(home.dir, 'ws'), join(big.dir, 'escape'));
    const plan = planPackage(big, ['.'], 1e6);
    expect(plan.entries.map((e) => e.path)).toEqual(['chart.svg', 'data/a.csv']);
    expect(plan.skipped).toEqual([{ path: 'escape', reason: 'symlink (not followed)' }]);
    const files = unzipSync(buildZip(big, plan));
    expect(Object.keys(files).sort()).toEqual(['chart.svg', 'data/a.csv']);
    expect(Buffer.from(files['data/a.csv']!).toString()).toBe('a,b\n1,2\n');
    expect(() => planPackage(big, ['.'], 5)).toThrow(/package limit/);
  });
});
