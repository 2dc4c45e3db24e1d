import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import demoOrg from './demo-org.json' with { type: 'json' };

/** The spellings Genesys uses in `/api/v2/presence/definitions` (`OnQueue` without a space). */
export const DEFINITION_SYSTEM_PRESENCES = [
  'Available',
  'Away',
  'Busy',
  'Offline',
  'Idle',
  'OnQueue',
  'Meal',
  'Training',
  'Meeting',
  'Break',
] as const;

const utilizationSchema = z.record(z.string(), z.number().int().nonnegative());

export const fixtureSchema = z
  .object({
    organization: z.object({ id: z.string().min(1), name: z.string().min(1) }),
    division: z.object({ id: z.string().min(1), name: z.string().min(1) }),
    oauthClients: z
      .array(z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), name: z.string().optional() }))
      .min(1),
    defaultUtilization: utilizationSchema,
    presenceDefinitions: z
      .array(
        z.object({
          id: z.string().min(1),
          type: z.enum(['System', 'User']),
          name: z.string().optional(),
          systemPresence: z.enum(DEFINITION_SYSTEM_PRESENCES),
          languageLabels: z.record(z.string(), z.string()),
          deactivated: z.boolean().default(false),
        }),
      )
      .min(1),
    users: z.array(
      z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        email: z.string().email(),
        title: z.string().optional(),
        department: z.string().optional(),
        /** Initial presence: a definition id or its `en_US` label (e.g. `On Queue`, `Lunch`). */
        presence: z.string().min(1),
        utilization: utilizationSchema.optional(),
      }),
    ),
  })
  .superRefine((fixture, ctx) => {
    const lookup = (ref: string) =>
      fixture.presenceDefinitions.find((d) => d.id === ref || d.languageLabels.en_US === ref);
    fixture.users.forEach((user, index) => {
      if (lookup(user.presence) === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', index, 'presence'],
          message: `unknown presence "${user.presence}" (use a definition id or en_US label)`,
        });
      }
    });
    const emails = new Set<string>();
    fixture.users.forEach((user, index) => {
      const email = user.email.toLowerCase();
      if (emails.has(email)) ctx.addIssue({ code: 'custom', path: ['users', index, 'email'], message: 'duplicate' });
      emails.add(email);
    });
  });

export type SimulatorFixture = z.infer<typeof fixtureSchema>;

function parseFixture(raw: unknown, source: string): SimulatorFixture {
  const parsed = fixtureSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new Error(`Invalid simulator fixture ${source}: ${problems}`);
}

/** The bundled demo org (src/demo/genesys-simulator/demo-org.json). */
export function demoFixture(): SimulatorFixture {
  return parseFixture(demoOrg, 'demo-org.json');
}

export async function loadFixture(path: string): Promise<SimulatorFixture> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read simulator fixture ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseFixture(raw, path);
}
