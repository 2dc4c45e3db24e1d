import type { SimulatorFixture } from './fixture.js';

/** Genesys's routing statuses; the SDK types them as any string, and the simulator imports nothing of the app's. */
export type RoutingStatus = 'OFF_QUEUE' | 'IDLE' | 'INTERACTING' | 'NOT_RESPONDING' | 'COMMUNICATING';

export type SimDefinition = SimulatorFixture['presenceDefinitions'][number];
type FixtureUser = SimulatorFixture['users'][number];

export interface SimUser extends FixtureUser {
  presenceId: string;
  message: string;
  modifiedDate: string;
  routingStatus: RoutingStatus;
  routingStartTime: string;
}

/** An agent's live state as the simulator holds it (control API and test helpers). */
export interface AgentSnapshot {
  userId: string;
  email: string;
  name: string;
  presenceId: string;
  /** `en_US` label of the presence, e.g. `On Queue`, `Lunch`. */
  presenceLabel: string;
  /** As in the presence definitions, e.g. `OnQueue`, `Meal`. */
  systemPresence: SimDefinition['systemPresence'];
  routingStatus: RoutingStatus;
  modifiedDate: string;
  message: string;
}

/** What one write changed: the presence always moves on (`modifiedDate`), the routing status only with On Queue. */
export interface OrgChange {
  user: SimUser;
  routingChanged: boolean;
}

export interface OrgState {
  readonly fixture: SimulatorFixture;
  definitions(): readonly SimDefinition[];
  /** By id or `en_US` label. */
  definition(ref: string): SimDefinition | undefined;
  users(): readonly SimUser[];
  /** By id or e-mail (case-insensitive). */
  user(ref: string): SimUser | undefined;
  /** Applies a presence the way Genesys does: routing status follows On Queue, `modifiedDate` moves on. */
  setPresence(user: SimUser, definition: SimDefinition | undefined, message: string | undefined): void;
  snapshot(user: SimUser): AgentSnapshot;
  /** Back to the fixture; every user counts as changed (what a listener holds is stale). */
  reset(): void;
  /** Told of every change, from the API, the control API and reset alike (Genesys notifies of them all). */
  onChange(listener: (change: OrgChange) => void): void;
}

/**
 * `modifiedDate` is the only version signal Genesys gives for presence, so two writes must never share
 * one, even inside the same millisecond: the clock moves at least 1 ms per write.
 */
function createWriteClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}

function routingFor(definition: SimDefinition): RoutingStatus {
  return definition.systemPresence === 'OnQueue' ? 'IDLE' : 'OFF_QUEUE';
}

export function createOrgState(fixture: SimulatorFixture): OrgState {
  const nextWriteTime = createWriteClock();
  const definitionsById = new Map(fixture.presenceDefinitions.map((d) => [d.id, d]));
  let users: SimUser[] = [];
  const listeners: Array<(change: OrgChange) => void> = [];
  const notify = (change: OrgChange) => {
    for (const listener of listeners) listener(change);
  };

  function definition(ref: string): SimDefinition | undefined {
    return definitionsById.get(ref) ?? fixture.presenceDefinitions.find((d) => d.languageLabels.en_US === ref);
  }

  function reset(): void {
    const startedAt = nextWriteTime();
    users = fixture.users.map((fixtureUser) => {
      const initial = definition(fixtureUser.presence);
      if (initial === undefined) throw new Error(`fixture user ${fixtureUser.email}: unknown presence`);
      return {
        ...fixtureUser,
        presenceId: initial.id,
        message: '',
        modifiedDate: startedAt,
        routingStatus: routingFor(initial),
        routingStartTime: startedAt,
      };
    });
    for (const user of users) notify({ user, routingChanged: true });
  }
  reset();

  return {
    fixture,
    definitions: () => fixture.presenceDefinitions,
    definition,
    users: () => users,
    user(ref) {
      const email = ref.toLowerCase();
      return users.find((u) => u.id === ref || u.email.toLowerCase() === email);
    },
    setPresence(user, next, message) {
      const at = nextWriteTime();
      let routingChanged = false;
      if (next !== undefined) {
        user.presenceId = next.id;
        const routing = routingFor(next);
        if (routing !== user.routingStatus) {
          user.routingStatus = routing;
          user.routingStartTime = at;
          routingChanged = true;
        }
      }
      if (message !== undefined) user.message = message;
      user.modifiedDate = at;
      notify({ user, routingChanged });
    },
    snapshot(user) {
      const current = definitionsById.get(user.presenceId)!;
      return {
        userId: user.id,
        email: user.email,
        name: user.name,
        presenceId: user.presenceId,
        presenceLabel: current.languageLabels.en_US ?? current.name ?? current.systemPresence,
        systemPresence: current.systemPresence,
        routingStatus: user.routingStatus,
        modifiedDate: user.modifiedDate,
        message: user.message,
      };
    },
    reset,
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
