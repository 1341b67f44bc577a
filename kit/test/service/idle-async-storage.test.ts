import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as turn } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { releaseIdleAsyncStorage } from '../../src/service/idle-async-storage';

/** A promise and the function that resolves it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * What `als.getStore()` reads in work that a run of `store` started without awaiting it, once that
 * run has ended.
 */
async function readLeftBehind(als: AsyncLocalStorage<string>, store: string): Promise<string | undefined> {
  const later = gate();
  let seen: string | undefined = 'not read';
  await als.run(store, async () => {
    void later.opened.then(() => (seen = als.getStore()));
  });
  later.open();
  await turn();
  return seen;
}

// The release changes AsyncLocalStorage for the whole worker, as runSubgraph does for a service.
describe('releaseIdleAsyncStorage', () => {
  beforeAll(() => {
    releaseIdleAsyncStorage();
    releaseIdleAsyncStorage(); // idempotent: one wrapper, not two
  });

  it('keeps a run’s store across its awaits, and apart from an overlapping run’s', async () => {
    const als = new AsyncLocalStorage<string>();
    const both = gate();
    const read = async (store: string) =>
      als.run(store, async () => {
        const before = als.getStore();
        await both.opened;
        await turn();
        return [before, als.getStore()];
      });
    const a = read('a');
    const b = read('b');
    both.open();
    expect(await Promise.all([a, b])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(als.getStore()).toBeUndefined();
  });

  it('a run that is still going keeps the store on after another run of the same storage ended', async () => {
    const als = new AsyncLocalStorage<string>();
    const long = gate();
    const reading = als.run('long', async () => {
      await long.opened;
      await turn();
      return als.getStore();
    });
    await als.run('short', async () => turn());
    long.open();
    expect(await reading).toBe('long');
  });

  it('once no run is in progress the storage is off: work left behind by a run no longer reads its store', async () => {
    const als = new AsyncLocalStorage<string>();
    // Node's own AsyncLocalStorage would give this detached continuation 'gone' for as long as it runs.
    expect(await readLeftBehind(als, 'gone')).toBeUndefined();
    // And run() turns it on again.
    expect(await als.run('again', async () => (await turn(), als.getStore()))).toBe('again');
  });

  it('counts runs that throw (synchronously or by rejecting) as ended', async () => {
    const als = new AsyncLocalStorage<string>();
    expect(() =>
      als.run('x', () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    await expect(als.run('y', async () => Promise.reject(new Error('async')))).rejects.toThrow('async');
    expect(await readLeftBehind(als, 'z')).toBeUndefined();
  });

  it('never releases a storage entered with enterWith (its end cannot be counted)', async () => {
    const als = new AsyncLocalStorage<string>();
    const later = gate();
    let seen: string | undefined;
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        als.enterWith('entered');
        void later.opened.then(() => (seen = als.getStore()));
        resolve();
      }),
    );
    await als.run('other', async () => turn());
    later.open();
    await turn();
    expect(seen).toBe('entered');
  });
});
