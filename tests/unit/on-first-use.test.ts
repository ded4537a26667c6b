// OnFirstUse: a server's domain object opened by the first call that needs it, once, closed with the server.
import { describe, expect, it } from 'vitest';

import { isHearthError } from '../../lib/errors.js';
import { OnFirstUse } from '../../shared/on-first-use.js';

class Store {
  closed = 0;
  close(): void {
    this.closed++;
  }
}

function counted(open: () => Promise<Store> = async () => new Store()) {
  const opened: Store[] = [];
  let calls = 0;
  const lazy = new OnFirstUse<Store>(
    'the store',
    async () => {
      calls++;
      const store = await open();
      opened.push(store);
      return store;
    },
    (store) => store.close(),
  );
  return { lazy, opened, calls: () => calls };
}

describe('OnFirstUse', () => {
  it('opens nothing until asked, then opens once for calls at the same time and after', async () => {
    const { lazy, calls } = counted();
    expect(calls()).toBe(0);
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(b);
    expect(await lazy.get()).toBe(a);
    expect(calls()).toBe(1);
  });

  it('a failed open is a tool error naming what failed, and the next call tries again', async () => {
    let fail = true;
    const { lazy, calls } = counted(async () => {
      if (fail) throw new Error('disk on fire');
      return new Store();
    });
    const error = await lazy.get().catch((e: unknown) => e);
    expect(isHearthError(error) && error.code).toBe('UNAVAILABLE');
    expect((error as Error).message).toBe('the store could not be opened: disk on fire');
    fail = false;
    await expect(lazy.get()).resolves.toBeInstanceOf(Store);
    expect(calls()).toBe(2);
  });

  it('close releases what was opened, waits for an open in flight, and refuses later calls', async () => {
    const { lazy, opened } = counted(() => new Promise((resolve) => setTimeout(() => resolve(new Store()), 20)));
    const first = lazy.get();
    expect(await lazy.close()).toBe(true);
    expect(opened[0]!.closed).toBe(1);
    await expect(first).resolves.toBe(opened[0]);
    await expect(lazy.get()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'the store is closed' });
    expect(await lazy.close()).toBe(false);
    expect(opened[0]!.closed).toBe(1);
  });

  it('close of one never opened releases nothing', async () => {
    const { lazy, calls } = counted();
    expect(await lazy.close()).toBe(false);
    expect(calls()).toBe(0);
  });
});
