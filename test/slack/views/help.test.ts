import { describe, expect, it } from 'vitest';
import { helpBlocks, helpText } from '../../../src/slack/views/help.js';
import { defaultCatalog, hugeCatalog } from './fixtures.js';
import { assertWithinSlackLimits } from './limits.js';

const allText = (blocks: ReturnType<typeof helpBlocks>) => JSON.stringify(blocks);

describe('help', () => {
  it('lists the whole grammar and every status of the default policy with its aliases', () => {
    const catalog = defaultCatalog();
    const blocks = helpBlocks(catalog);
    assertWithinSlackLimits({ text: helpText(catalog), blocks });
    const text = allText(blocks);
    for (const usage of [
      '`/agent-status`',
      '/agent-status &lt;status&gt; [reason…]',
      '/agent-status @user &lt;status&gt; [reason…]',
      '/agent-status @user &lt;status&gt; override &lt;reason…&gt;',
      '/agent-status show [@user|&lt;team&gt;]',
      'alias: `who`',
      '/agent-status handover &lt;team&gt;',
      '/agent-status undo',
      '/agent-status history [@user]',
      '/agent-status payroll',
      '(admins)',
      '/agent-status help',
    ]) {
      expect(text).toContain(usage);
    }
    expect(text).toContain('`break` Break · aliases: `brb`');
    expect(text).toContain('`away` Away · _reason required: doctor, personal, it-issue_');
    expect(text).toContain('`lunch` Lunch');
    expect(text).not.toMatch(/more statuses/);
  });

  it('the text fallback carries the same grammar and statuses, escaped but without markup', () => {
    const text = helpText(defaultCatalog());
    expect(text).toContain('/agent-status show [@user|&lt;team&gt;] — show a status or a team board (alias: who)');
    expect(text).toContain('on-queue: On Queue (aliases: queue, onqueue, ready)');
    expect(text).toContain('away: Away; reason required: doctor, personal, it-issue');
    expect(text).not.toContain('*');
  });

  it('stays within one message for a huge catalog and says what it left out', () => {
    const catalog = hugeCatalog(1000);
    const blocks = helpBlocks(catalog);
    assertWithinSlackLimits({ text: helpText(catalog), blocks });
    const text = allText(blocks);
    expect(text).toContain('`status-0`');
    expect(blocks).toHaveLength(50);
    const listed = (text.match(/`status-\d+`/g) ?? []).length;
    expect(listed).toBeLessThan(catalog.length);
    expect(text).toContain(`+${catalog.length - listed} more statuses`);
  });

  it('says so when no status is configured', () => {
    expect(allText(helpBlocks([]))).toContain('No statuses are configured');
  });
});
