/**
 * What the app does when a notification changes the mirror: tells an outside change (someone used the Genesys
 * desktop, an admin, another integration) from the echo of its own write, and makes the outside change visible
 * — audited, reported to payroll (`source: "genesys"`, one event per change however often the notification
 * arrives), App Home and team boards refreshed, and one alert in the team's channel when it breaks a cap or the
 * on-queue floor, marked resolved once the team is back within its limits.
 */
import type { PayrollEvent } from '../domain/payroll-event.js';
import { showsWriteOver } from '../domain/presence.js';
import type { StatusSnapshot } from '../domain/transition.js';
import { bindCatalog, type CatalogBinding } from '../policy/binding.js';
import { describeBreach, type LimitBreach, newBreaches, teamLimitBreaches } from '../policy/breaches.js';
import type { MemberStatus } from '../policy/limits.js';
import type { Policy } from '../policy/schema.js';
import { resolveTeamMembers } from './directory.js';
import type { MirrorChange, MirrorChangeListener, MirroredAgent, PresenceMirrorStore } from './live-presence.js';
import type { AuditLog, GenesysPort, Log, PeopleDirectory, ResolvedPerson, Store } from './ports.js';
import { snapshot } from './snapshot.js';
import { payrollEventIdFor } from './steps.js';

/** The alert a team's channel gets when an outside change takes the team out of its limits. Plain text. */
export interface LimitAlert {
  teamId: string;
  teamName: string;
  /** Who changed, and from what to what, e.g. `dave@example.com: On Queue → Break`. */
  change: string;
  /** Each limit the team is outside of, e.g. `3 on Break (cap 2): a, b, c`. */
  breaches: string[];
}

/** Where outside changes are shown; implemented by the Slack adapter. */
export interface OutsideChangeSurfaces {
  /**
   * The agent's state changed outside the app: their App Home and the boards of `teamIds` are stale. Returns at
   * once; the surface batches refreshes (a burst of changes is one refresh per person) within Slack's limits.
   */
  agentChanged(change: { agentId: string; teamIds: readonly string[] }): void;
  /** Posts the alert; answers a reference to edit it later, or undefined when the team has nowhere to post. */
  postLimitAlert(alert: LimitAlert): Promise<string | undefined>;
  /** Edits the posted alert `ref` to say the team is back within its limits. */
  resolveLimitAlert(alert: LimitAlert, ref: string): Promise<void>;
}

export interface OutsideChangeDeps {
  policy: Policy;
  genesys: Pick<GenesysPort, 'listPresenceDefinitions'>;
  store: Pick<Store, 'transitions' | 'outbox' | 'cache'>;
  mirror: Pick<PresenceMirrorStore, 'get'>;
  directory: PeopleDirectory;
  surfaces: OutsideChangeSurfaces;
  audit: AuditLog;
  logger: Log;
  /** A payroll event was queued (the worker delivers it now rather than at its next poll). */
  onQueued?: () => void;
}

/** An open alert is forgotten after this long, so a team whose alert was lost is alerted again. */
const OPEN_ALERT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The app's own decisions for an agent looked at to recognise the echo of a write already recorded. */
const RECENT_DECISIONS = 5;

/**
 * The key of a change seen in Genesys, from the agent and Genesys's `modifiedDate`: the payroll event's request
 * id, from which its event id derives, so a replayed or repeated notification can never queue a second event.
 */
export function outsideChangeKey(agentId: string, modifiedDate: string): string {
  const at = Date.parse(modifiedDate);
  return `genesys:${agentId}:${Number.isNaN(at) ? modifiedDate : new Date(at).toISOString()}`;
}

function sameInstant(a: string, b: string): boolean {
  const at = Date.parse(a);
  return !Number.isNaN(at) && at === Date.parse(b);
}

interface TeamView {
  teamId: string;
  members: ResolvedPerson[];
}

export function createOutsideChangeListener(deps: OutsideChangeDeps): MirrorChangeListener {
  const { policy, store, logger } = deps;
  const alertKey = (teamId: string) => `limit-alert:${teamId}`;

  /**
   * The app's own write shows up as a notification too: while its intent is pending, or once recorded as an
   * applied decision with the same presence and `modifiedDate`. Intents are looked at first: recording removes
   * the intent and adds the decision in one transaction, so one of the two always answers.
   */
  async function isOwnWrite(agent: MirroredAgent): Promise<boolean> {
    const intents = await store.transitions.pendingIntents(agent.agentId);
    if (intents.some((intent) => showsWriteOver(agent, intent.presenceId, intent.fromVersion))) return true;
    const recent = await store.transitions.history(agent.agentId, RECENT_DECISIONS);
    return recent.some(
      ({ outcome }) =>
        outcome.kind === 'applied' &&
        outcome.to.presenceId === agent.presenceId &&
        sameInstant(outcome.changedAt, agent.modifiedDate),
    );
  }

  /** The policy teams that list the agent, each with its resolved members. */
  async function teamsOf(agentId: string): Promise<TeamView[]> {
    const views = await Promise.all(
      Object.keys(policy.teams).map(async (teamId) => ({
        teamId,
        members: (await resolveTeamMembers(policy, deps.directory, [teamId])).members.map((m) => m.person),
      })),
    );
    return views.filter((view) => view.members.some((person) => person.genesysUserId === agentId));
  }

  /** The agent's e-mail: from a team that lists them, else from the app's own record of them. */
  async function emailOf(agentId: string, teams: readonly TeamView[]): Promise<string | undefined> {
    const member = teams.flatMap((team) => team.members).find((person) => person.genesysUserId === agentId);
    if (member) return member.email;
    const [latest] = await store.transitions.history(agentId, 1);
    return latest?.agentEmail;
  }

  function queueEvent(change: MirrorChange, email: string, from: StatusSnapshot, to: StatusSnapshot) {
    const { after } = change;
    const key = outsideChangeKey(after.agentId, after.modifiedDate);
    const event: PayrollEvent = {
      type: 'agent.status.changed',
      data: {
        eventId: payrollEventIdFor(key),
        agentId: after.agentId,
        email,
        from: { presence: from.presenceLabel, routingStatus: from.routingStatus },
        to: { presence: to.presenceLabel, routingStatus: to.routingStatus },
        reason: after.message ?? null,
        changedAt: after.modifiedDate,
        changedBy: null,
        source: 'genesys',
        requestId: key,
      },
    };
    return { key, queued: store.outbox.enqueue(event) };
  }

  /** Members' statuses as the mirror holds them; members it does not know are left out. */
  async function memberStatuses(binding: CatalogBinding, team: TeamView): Promise<MemberStatus[]> {
    const states = await deps.mirror.get(team.members.map((person) => person.genesysUserId));
    const byId = new Map(states.map((state) => [state.agentId, state]));
    return team.members.flatMap((person) => {
      const state = byId.get(person.genesysUserId);
      if (!state) return [];
      return [{ email: person.email, slackUserId: person.slackUserId, status: snapshot(binding, state).status }];
    });
  }

  /**
   * One alert per team at a time: posted when an outside change newly breaks a limit, resolved when the team is
   * back within all of them (whoever made the change that brought it back).
   */
  async function checkLimits(
    binding: CatalogBinding,
    team: TeamView,
    alert: Omit<LimitAlert, 'breaches'>,
    agentEmail: string,
    fromStatus: string | undefined,
    outside: boolean,
  ): Promise<void> {
    const now = await memberStatuses(binding, team);
    const breaches = teamLimitBreaches(policy, team.teamId, now);
    const open = await store.cache.get<string>(alertKey(team.teamId));
    const text = (list: readonly LimitBreach[]) => list.map((breach) => describeBreach(policy, breach));
    if (open !== undefined) {
      if (breaches.length > 0) return;
      await deps.surfaces.resolveLimitAlert({ ...alert, breaches: [] }, open);
      await store.cache.delete(alertKey(team.teamId));
      return;
    }
    if (!outside || breaches.length === 0) return;
    const before = now.map((state) =>
      state.email === agentEmail && fromStatus !== undefined ? { ...state, status: fromStatus } : state,
    );
    if (newBreaches(teamLimitBreaches(policy, team.teamId, before), breaches).length === 0) return;
    const ref = await deps.surfaces.postLimitAlert({ ...alert, breaches: text(breaches) });
    if (ref !== undefined) await store.cache.set(alertKey(team.teamId), ref, OPEN_ALERT_TTL_MS);
  }

  async function handle(change: MirrorChange): Promise<void> {
    const { before, after } = change;
    // Routing status follows presence and flips with every interaction; a status change is a presence change.
    if (before === undefined || before.presenceId === after.presenceId) return;
    const outside = !(await isOwnWrite(after));
    const teams = await teamsOf(after.agentId);
    const email = await emailOf(after.agentId, teams);
    const binding = bindCatalog(policy, await deps.genesys.listPresenceDefinitions());
    const from = snapshot(binding, before);
    const to = snapshot(binding, after);
    const who = email ?? after.agentId;

    if (outside) {
      deps.surfaces.agentChanged({ agentId: after.agentId, teamIds: teams.map((team) => team.teamId) });
      if (email === undefined) {
        logger.warn(
          { agentId: after.agentId },
          'a change made in Genesys to an agent the app cannot name: no payroll event',
        );
      } else {
        const { key, queued } = queueEvent(change, email, from, to);
        if (await queued) {
          deps.audit.record({
            requestId: key,
            actor: 'genesys',
            target: email,
            from: from.status,
            to: to.status,
            reason: after.message,
            outcome: 'outside_change',
            source: 'genesys',
          });
          deps.onQueued?.();
        }
      }
    }
    for (const team of teams) {
      const teamName = policy.teams[team.teamId]!.name;
      const alert = { teamId: team.teamId, teamName, change: `${who}: ${from.presenceLabel} → ${to.presenceLabel}` };
      await checkLimits(binding, team, alert, who, from.status, outside);
    }
  }

  // One change at a time: two changes to one team must not both find no open alert and both post one.
  let queue = Promise.resolve();
  return (change) => {
    const run = queue.then(() => handle(change));
    queue = run.catch((err: unknown) => {
      logger.error({ err, agentId: change.after.agentId }, 'could not handle a change seen in Genesys');
    });
    return queue;
  };
}
