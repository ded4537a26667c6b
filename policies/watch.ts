// Policy changes apply without a restart: the policy file is watched, and each edit that parses is
// put in force; an edit that does not parse changes nothing and says why. The folder is watched,
// not the file, because editors save by writing a new file and renaming it over the old one.
import { existsSync, type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

import { describeError } from '../lib/errors.js';
import { parsePolicy } from './load.js';
import type { Policy } from './schema.js';

export interface PolicyWatch {
  close(): void;
}

export interface PolicyWatchEvents {
  /** A changed file that parsed: put it in force. */
  changed(policy: Policy): void;
  /** A changed file that did not parse (or vanished): the last good policy stays; `why` says what is wrong. */
  refused(why: string): void;
}

const SETTLE_MS = 100;

export function watchPolicy(file: string, events: PolicyWatchEvents): PolicyWatch {
  const folder = dirname(file);
  const name = basename(file);
  let last = existsSync(file) ? readFileSync(file, 'utf8') : '';
  let timer: NodeJS.Timeout | undefined;

  const reload = () => {
    timer = undefined;
    if (!existsSync(file)) return events.refused(`policy file ${file} was removed`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return events.refused(`policy file ${file} could not be read: ${describeError(error)}`);
    }
    if (text === last) return;
    try {
      const policy = parsePolicy(text, file, folder);
      last = text;
      events.changed(policy);
    } catch (error) {
      // The text is remembered only when good, so fixing the edit back to the same good text applies it again.
      events.refused(describeError(error));
    }
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(folder, { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      // An editor's save is several events (truncate, write, rename): act once it has settled.
      clearTimeout(timer);
      timer = setTimeout(reload, SETTLE_MS);
    });
    watcher.on('error', (error) => events.refused(`stopped watching ${file}: ${describeError(error)}`));
  } catch (error) {
    events.refused(`cannot watch ${file} for changes (${describeError(error)}); restart the server to apply edits`);
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
