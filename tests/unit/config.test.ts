import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';

import { HearthError } from '../../lib/errors.js';
import { loadConfig, serverSection } from '../../shared/config.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

function thrown(fn: () => unknown): HearthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HearthError) return error;
    throw error;
  }
  throw new Error('expected a HearthError');
}

describe('layered configuration', () => {
  it('defaults < config file < environment < flags, with undefined never overriding', () => {
    writeFileSync(
      join(home.dir, 'config.json'),
      JSON.stringify({ http: { port: 9000, host: '127.0.0.1' }, log: { level: 'warn' }, servers: { memory: { chunkSize: 500 } } }),
    );
    const env = { HEARTH_HOME: home.dir, HEARTH_HTTP_PORT: '9100', HEARTH__servers__memory__overlap: '40' };
    const fileOnly = loadConfig({}, { HEARTH_HOME: home.dir }).config;
    expect(fileOnly.http.port).toBe(9000);
    expect(fileOnly.log.level).toBe('warn');
    const withEnv = loadConfig({}, env).config;
    expect(withEnv.http.port).toBe(9100);
    expect(withEnv.servers.memory).toEqual({ chunkSize: 500, overlap: 40 });
    const withFlags = loadConfig({ port: '9200', set: ['servers.memory.chunkSize=800'] }, env).config;
    expect(withFlags.http.port).toBe(9200);
    expect(withFlags.servers.memory).toEqual({ chunkSize: 800, overlap: 40 });
    expect(withFlags.log.level).toBe('warn'); // no flag given: the file's value stands
    expect(withFlags.http.rateLimit.burst).toBe(60); // built-in default
  });

  it('resolves relative paths in a config file against its folder', () => {
    const dir = join(home.dir, 'etc');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hearth.json'), JSON.stringify({ policyFile: 'policy.json', log: { file: '../logs/hearth.log' } }));
    const { config, file } = loadConfig({ config: join(dir, 'hearth.json') }, { HEARTH_HOME: home.dir });
    expect(file).toBe(join(dir, 'hearth.json'));
    expect(config.policyFile).toBe(join(dir, 'policy.json'));
    expect(config.log.file).toBe(join(home.dir, 'logs', 'hearth.log'));
  });

  it('names the source and the field of a bad value', () => {
    writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ http: { port: 'eighty' } }));
    const fromFile = thrown(() => loadConfig({}, { HEARTH_HOME: home.dir }));
    expect(fromFile.code).toBe('CONFIG_INVALID');
    expect(fromFile.message).toContain(`config file ${join(home.dir, 'config.json')}: http.port`);

    const fromEnv = thrown(() => loadConfig({}, { HEARTH_HOME: join(home.dir, 'empty'), HEARTH_MODE: 'yolo' }));
    expect(fromEnv.message).toMatch(/^environment \(HEARTH_\*\): mode:/);

    const fromFlags = thrown(() => loadConfig({ port: '70000' }, { HEARTH_HOME: join(home.dir, 'empty') }));
    expect(fromFlags.message).toMatch(/^command-line flags: http\.port:/);

    const unknownKey = thrown(() => loadConfig({ set: ['htp.port=1'] }, { HEARTH_HOME: join(home.dir, 'empty') }));
    expect(unknownKey.message).toContain('htp');

    writeFileSync(join(home.dir, 'config.json'), '{ "http": ');
    expect(thrown(() => loadConfig({}, { HEARTH_HOME: home.dir })).message).toContain('not valid JSON');
    expect(thrown(() => loadConfig({ config: join(home.dir, 'nope.json') }, {})).message).toContain('does not exist');
  });

  it('validates a server section with that server’s schema and names the full path', () => {
    const { config } = loadConfig({ set: ['servers.memory.chunkSize=-3'] }, { HEARTH_HOME: home.dir });
    const schema = z.object({ chunkSize: z.number().int().positive().default(800) }).strict();
    expect(thrown(() => serverSection(config, 'memory', schema)).message).toContain('servers.memory.chunkSize');
    expect(serverSection(loadConfig({}, { HEARTH_HOME: home.dir }).config, 'memory', schema)).toEqual({ chunkSize: 800 });
  });
});
