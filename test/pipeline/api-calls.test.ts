/** What a batch (a shift handover) costs in Genesys API calls without a notification channel. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PipelineHarness, startPipelineHarness } from './harness.js';

const ADA = 'ada.admin@example.com';
const AGENTS = Array.from({ length: 30 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@example.com`);

describe('Genesys API calls of a batch without a notification channel', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
    await h.genesys.listPresenceDefinitions();
    h.simulator.clearRequests();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends 30 agents off shift with one read before, one bulk write and one read to confirm them all', async () => {
    const outcomes = await h.pipeline.submitBatch(AGENTS.map((email) => h.request(ADA, email, 'offline')));
    // agent21 starts Offline already; agent07 and agent13 have not stayed their minimum (see batch.test.ts).
    expect(outcomes.filter((o) => o.kind === 'applied')).toHaveLength(27);
    expect(h.simulator.requests({ path: '/api/**' }).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/users',
      'PUT /api/v2/users/presences/bulk',
      'GET /api/v2/users',
    ]);
  });
});
