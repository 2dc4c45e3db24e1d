import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

const root = new URL('../', import.meta.url);
const manifestSource = readFileSync(new URL('manifest.yml', root), 'utf8');
// Slack's schema for manifests with `_metadata.major_version: 1` (see the fixture's SOURCE.md). It declares
// draft-07, Ajv's default draft, so the plain `Ajv` class fits; `strict: false` because the schema carries the
// non-standard keywords `regex` and `_note`.
const schema: unknown = JSON.parse(readFileSync(new URL('test/fixtures/slack-manifest.schema.json', root), 'utf8'));

function validateManifest(manifest: unknown): ErrorObject[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(z.record(z.string(), z.unknown()).parse(schema));
  return validate(manifest) ? [] : (validate.errors ?? []);
}

/** The parts of the manifest the app's code depends on; anything else the schema already checks. */
const manifestShape = z.object({
  _metadata: z.object({ major_version: z.number() }),
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.boolean() }),
    slash_commands: z.array(z.object({ command: z.string(), url: z.string(), should_escape: z.boolean().optional() })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string() }),
    socket_mode_enabled: z.boolean(),
    org_deploy_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

const endpoint = 'https://agent-status.example.com/slack/events';

describe('manifest.yml', () => {
  const raw: unknown = parse(manifestSource);

  it("is valid against Slack's app-manifest schema", () => {
    expect(validateManifest(raw)).toEqual([]);
  });

  it('declares the schema version the fixture covers', () => {
    expect(manifestShape.parse(raw)._metadata.major_version).toBe(1);
  });

  it('has the command, endpoints, event and scopes the app relies on', () => {
    const manifest = manifestShape.parse(raw);
    const command = manifest.features.slash_commands.find((c) => c.command === '/agent-status');
    expect(command).toMatchObject({ url: endpoint, should_escape: true });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: endpoint });
    expect(manifest.settings.event_subscriptions.request_url).toBe(endpoint);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'chat:write.public',
        'users:read',
        'users:read.email',
        'channels:read',
      ]),
    );
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: false,
      org_deploy_enabled: false,
      token_rotation_enabled: false,
    });
  });

  it('explains every bot scope in a comment', () => {
    const lines = manifestSource.split('\n');
    const scopes = manifestShape.parse(raw).oauth_config.scopes.bot;
    for (const scope of scopes) {
      const at = lines.findIndex((line) => line.trim() === `- ${scope}`);
      expect(at, scope).toBeGreaterThan(0);
      expect(lines[at - 1]?.trim().startsWith('#'), `comment above ${scope}`).toBe(true);
    }
  });

  it('rejects broken copies (the schema check can fail)', () => {
    const broken = (from: string, to: string): unknown => {
      expect(manifestSource).toContain(from);
      return parse(manifestSource.replace(from, to));
    };
    // Slack requires the leading slash.
    const noSlash = validateManifest(broken('- command: /agent-status', '- command: agent-status'));
    expect(noSlash.map((e) => e.instancePath)).toContain('/features/slash_commands/0/command');
    // A misspelt setting is not silently ignored.
    const unknownKey = validateManifest(broken('  socket_mode_enabled: false', '  socket_mode: false'));
    expect(unknownKey.some((e) => e.keyword === 'additionalProperties' && e.instancePath === '/settings')).toBe(true);
  });
});
