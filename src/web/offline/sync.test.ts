// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPlan, backoffMs, planResults, pushBatches } from './outbox';
import { SyncEngine, TransportError, type SyncStore, type SyncTransport } from './sync';
import type { OutboxEntry, PullPage, PushRecord, PushResult } from './types';

function entry(i: number, state: OutboxEntry['state'] = 'waiting'): OutboxEntry {
  return { id: `id-${i}`, seq: i, kind: 'contact', data: { n: i }, createdAt: '2026-11-29T00:00:00Z', state };
}

/** The store as the engine sees it, in memory: the same plan application as the Dexie store. */
function memoryStore(entries: OutboxEntry[]) {
  const s = {
    entries,
    deviceId: null as string | null,
    cursor: null as string | null,
    pulled: [] as PullPage[],
    wiped: null as string | null,
    lastSync: null as string | null,
  };
  const store: SyncStore = {
    outboxEntries: async () => s.entries,
    applyPlan: async (p) => {
      s.entries = applyPlan(s.entries, p);
    },
    savePulled: async (p) => {
      s.pulled.push(p);
    },
    getDeviceId: async () => s.deviceId,
    setDevice: async (id) => {
      s.deviceId = id;
    },
    getCursor: async () => s.cursor,
    setCursor: async (c) => {
      s.cursor = c;
    },
    setLastSync: async (at) => {
      s.lastSync = at;
    },
    wipe: async (r) => {
      s.wiped = r;
      s.entries = [];
    },
  };
  return { s, store };
}

function transport(push: (records: PushRecord[], call: number) => Promise<PushResult[]>, pages: PullPage[] = [{ clients: [], hotspots: [], cursor: 'c1', more: false }]) {
  const calls = { push: [] as PushRecord[][], pull: [] as (string | null)[], register: 0, deviceIds: [] as string[] };
  const t: SyncTransport = {
    registerDevice: async () => {
      calls.register++;
      return { id: 'device-1' };
    },
    push: async (deviceId, records) => {
      calls.deviceIds.push(deviceId);
      calls.push.push(records);
      return push(records, calls.push.length);
    },
    pull: async (deviceId, cursor) => {
      calls.deviceIds.push(deviceId);
      calls.pull.push(cursor);
      return pages[calls.pull.length - 1];
    },
  };
  return { calls, t };
}

const accept = async (rs: PushRecord[]): Promise<PushResult[]> => rs.map((r) => ({ id: r.id, status: 'accepted' }));
const opts = { deviceLabel: () => 'test' };

let engines: SyncEngine[] = [];
afterEach(() => {
  for (const e of engines) e.cancelRetry();
  engines = [];
});
const make = (store: SyncStore, t: SyncTransport) => {
  const e = new SyncEngine(store, t, opts);
  engines.push(e);
  return e;
};

describe('outbox rules', () => {
  it('removes only accepted and already_had; keeps rejected with the reason and unanswered ones', () => {
    const plan = planResults(
      ['a', 'b', 'c', 'd'],
      [
        { id: 'a', status: 'accepted' },
        { id: 'b', status: 'already_had' },
        { id: 'c', status: 'rejected', reason: 'hotspotId: is required' },
        { id: 'x', status: 'accepted' },
      ],
    );
    expect(plan).toEqual({ remove: ['a', 'b'], reject: [{ id: 'c', reason: 'hotspotId: is required' }], keep: ['d'] });
  });

  it('removes nothing for a malformed answer', () => {
    expect(planResults(['a'], null).remove).toEqual([]);
    expect(planResults(['a'], [{ id: 'a', status: 'ok' }]).remove).toEqual([]);
  });

  it('pushes waiting records only, oldest first, in batches of at most 200', () => {
    const entries = [...Array.from({ length: 450 }, (_, i) => entry(450 - i)), entry(1000, 'rejected')];
    const batches = pushBatches(entries);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(batches[0][0].id).toBe('id-1');
    expect(batches.flat().some((r) => r.id === 'id-1000')).toBe(false);
  });

  it('backs off from 5 s up to 5 minutes', () => {
    expect(backoffMs(0, () => 0.5)).toBe(5000);
    expect(backoffMs(3, () => 0.5)).toBe(40000);
    expect(backoffMs(20, () => 0.5)).toBe(300000);
  });
});

describe('sync engine', () => {
  it('registers the device, pushes, trims on the answer, then pulls every page with x-device-id', async () => {
    const { s, store } = memoryStore([entry(1), entry(2), entry(3)]);
    const { calls, t } = transport(
      async (rs) => rs.map((r, i) => ({ id: r.id, status: i === 1 ? 'rejected' : i === 2 ? 'already_had' : 'accepted', reason: i === 1 ? 'clientId: unknown client' : undefined })),
      [
        { clients: [], hotspots: [], cursor: 'c1', more: true },
        { clients: [], hotspots: [], cursor: 'c2', more: false },
      ],
    );
    const state = await make(store, t).run();
    expect(state.phase).toBe('ok');
    expect(calls.register).toBe(1);
    expect(new Set(calls.deviceIds)).toEqual(new Set(['device-1']));
    expect(s.entries).toEqual([{ ...entry(2), state: 'rejected', reason: 'clientId: unknown client' }]);
    expect(calls.pull).toEqual([null, 'c1']);
    expect(s.cursor).toBe('c2');
    expect(s.lastSync).not.toBeNull();
  });

  it('never loses a record when the network fails mid-sync: only answered batches are trimmed', async () => {
    const { s, store } = memoryStore(Array.from({ length: 450 }, (_, i) => entry(i + 1)));
    s.deviceId = 'device-1';
    const { t } = transport(async (rs, call) => {
      if (call === 2) throw new TransportError('network', 0, 'network');
      return accept(rs);
    });
    const state = await make(store, t).run();
    expect(state.phase).toBe('offline');
    expect(state.nextRetryAt).not.toBeNull();
    expect(s.entries).toHaveLength(250);
    expect(s.entries[0].id).toBe('id-201');
    expect(s.lastSync).toBeNull();
  });

  it('keeps everything on a 5xx and on an answer that is not a list', async () => {
    const { s, store } = memoryStore([entry(1), entry(2)]);
    s.deviceId = 'device-1';
    const { t } = transport(async () => {
      throw new TransportError('server', 503, 'http_503');
    });
    expect((await make(store, t).run()).phase).toBe('failed');
    expect(s.entries).toHaveLength(2);
    const { t: t2 } = transport(async () => 'nonsense' as unknown as PushResult[]);
    await make(store, t2).run();
    expect(s.entries).toHaveLength(2);
  });

  it('wipes the device store on 410 device_revoked', async () => {
    const { s, store } = memoryStore([entry(1)]);
    s.deviceId = 'device-1';
    const { t } = transport(async () => {
      throw new TransportError('revoked', 410, 'device_revoked');
    });
    expect((await make(store, t).run()).phase).toBe('revoked');
    expect(s.wiped).toBe('revoked');
  });

  it('keeps the records and asks for a sign-in on 401', async () => {
    const { s, store } = memoryStore([entry(1)]);
    s.deviceId = 'device-1';
    const { t } = transport(async () => {
      throw new TransportError('unauthorized', 401, 'unauthorized');
    });
    expect((await make(store, t).run()).phase).toBe('signed_out');
    expect(s.entries).toHaveLength(1);
  });

  it('retries by itself after a failure', async () => {
    vi.useFakeTimers();
    try {
      const { s, store } = memoryStore([entry(1)]);
      s.deviceId = 'device-1';
      let fail = true;
      const { t } = transport(async (rs) => {
        if (fail) throw new TransportError('network', 0, 'network');
        return accept(rs);
      });
      const e = make(store, t);
      await e.run();
      expect(s.entries).toHaveLength(1);
      fail = false;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(s.entries).toHaveLength(0);
      expect(e.state.phase).toBe('ok');
    } finally {
      vi.useRealTimers();
    }
  });
});
