import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PresenceObservation } from '../../src/pipeline/live-presence.js';
import { storeOpener } from './fixtures/stores.js';

const open = storeOpener();
const AGENT = 'agent-1';

function presenceAt(presenceId: string, modifiedDate: string, source: PresenceObservation['source'] = 'event') {
  return {
    agentId: AGENT,
    presence: { presenceId, systemPresence: 'AVAILABLE' as const, modifiedDate },
    source,
    observedAt: modifiedDate,
  } satisfies PresenceObservation;
}

function routingAt(status: 'IDLE' | 'OFF_QUEUE', changedAt: string) {
  return {
    agentId: AGENT,
    routing: { status, changedAt },
    source: 'event',
    observedAt: changedAt,
  } satisfies PresenceObservation;
}

describe('presence mirror (SQLite)', () => {
  it('knows an agent in full only once both presence and routing status arrived', async () => {
    const { mirror } = open();
    const first = await mirror.apply(presenceAt('p-available', '2026-01-01T10:00:00.000Z'));
    expect(first).toEqual({ changed: true });
    expect(await mirror.get([AGENT])).toEqual([]);
    const second = await mirror.apply(routingAt('IDLE', '2026-01-01T10:00:01.000Z'));
    expect(second.changed).toBe(true);
    expect(second.after).toMatchObject({ presenceId: 'p-available', routingStatus: 'IDLE', source: 'event' });
    expect(await mirror.get([AGENT, 'someone-else'])).toEqual([second.after]);
    expect(await mirror.known()).toEqual([AGENT]);
  });

  it.each([
    ['an older presence', presenceAt('p-old', '2026-01-01T09:59:59.000Z'), false],
    ['the same presence again (the echo of a confirmed write)', presenceAt('p-now', '2026-01-01T10:00:00.000Z'), false],
    ['a newer presence', presenceAt('p-new', '2026-01-01T10:00:00.001Z'), true],
    ['an older routing status', routingAt('OFF_QUEUE', '2026-01-01T09:00:00.000Z'), false],
    ['a newer routing status', routingAt('OFF_QUEUE', '2026-01-01T11:00:00.000Z'), true],
    ['a presence with an unreadable time', presenceAt('p-bad', 'yesterday'), false],
  ])('%s: changed %s', async (_, observation, changed) => {
    const { mirror } = open();
    await mirror.apply(presenceAt('p-now', '2026-01-01T10:00:00.000Z', 'write'));
    await mirror.apply(routingAt('IDLE', '2026-01-01T10:00:00.000Z'));
    const update = await mirror.apply(observation);
    expect(update.changed).toBe(changed);
    const [held] = await mirror.get([AGENT]);
    expect(held).toEqual(update.after);
    if (!changed) expect(update.after).toEqual(update.before);
  });

  it('keeps the message of the presence it holds and drops it with a newer presence without one', async () => {
    const { mirror } = open();
    await mirror.apply(routingAt('OFF_QUEUE', '2026-01-01T10:00:00.000Z'));
    const withMessage = presenceAt('p-break', '2026-01-01T10:00:00.000Z');
    await mirror.apply({ ...withMessage, presence: { ...withMessage.presence, message: 'coffee' } });
    expect((await mirror.get([AGENT]))[0]?.message).toBe('coffee');
    await mirror.apply(routingAt('IDLE', '2026-01-01T10:01:00.000Z'));
    expect((await mirror.get([AGENT]))[0]?.message).toBe('coffee');
    await mirror.apply(presenceAt('p-available', '2026-01-01T10:02:00.000Z'));
    expect((await mirror.get([AGENT]))[0]?.message).toBeUndefined();
  });

  it('ends with the newest presence and routing status whatever order the observations arrive in', async () => {
    const observation = fc
      .record({ second: fc.integer({ min: 0, max: 59 }), presence: fc.boolean(), id: fc.integer({ min: 0, max: 9 }) })
      .map(({ second, presence, id }): PresenceObservation => {
        const at = `2026-01-01T10:00:${String(second).padStart(2, '0')}.000Z`;
        return presence ? presenceAt(`p-${id}`, at) : routingAt(id % 2 === 0 ? 'IDLE' : 'OFF_QUEUE', at);
      });
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { minLength: 1, maxLength: 12 }), async (observations) => {
        const { mirror } = open();
        for (const o of observations) await mirror.apply(o);
        const newest = <T extends PresenceObservation>(parts: T[], time: (o: T) => string) =>
          parts.reduce<T | undefined>((best, o) => (best === undefined || time(o) > time(best) ? o : best), undefined);
        const presence = newest(
          observations.filter((o) => o.presence !== undefined),
          (o) => o.presence!.modifiedDate,
        );
        const routing = newest(
          observations.filter((o) => o.routing !== undefined),
          (o) => o.routing!.changedAt,
        );
        const [held] = await mirror.get([AGENT]);
        if (presence === undefined || routing === undefined) {
          expect(held).toBeUndefined();
          return;
        }
        expect(held).toMatchObject({
          presenceId: presence.presence!.presenceId,
          routingStatus: routing.routing!.status,
        });
      }),
      { numRuns: 60 },
    );
  });
});
