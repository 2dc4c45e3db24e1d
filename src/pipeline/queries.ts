/**
 * The pipeline's read side: what a surface shows before and after a change (an agent's live status, a team
 * board, the statuses one may switch to now, history), built on the same snapshot and directory lookup as the
 * write path. Reads only; surfaces render what these return and never read the store or Genesys themselves.
 */
import { type AgentState, presenceVersion, type SystemPresence } from '../domain/presence.js';
import type { StatusSnapshot, TargetAgent } from '../domain/transition.js';
import { bindCatalog, type CatalogBinding } from '../policy/binding.js';
import { catalogNames, statusLabel } from '../policy/catalog.js';
import { allowedTargets } from '../policy/matrix.js';
import { canChange, type Person } from '../policy/roles.js';
import { loadMemberStates, resolvePolicyPeople, resolveTeamMembers, type TeamMember } from './directory.js';
import type { ResolvedPerson, TransitionRecord } from './ports.js';
import { snapshot } from './snapshot.js';
import type { PipelineDeps } from './steps.js';

export type { TeamMember } from './directory.js';

/** An agent's status now, as the product names it and as Genesys shows it. */
export interface AgentStatus {
  snapshot: StatusSnapshot;
  /** When Genesys last changed the presence (ISO). */
  since: string;
  /** The version token a later change compares against (a change since is a conflict). */
  version: string;
}

export interface BoardMember {
  /** Genesys user id. */
  id: string;
  name: string;
  /** Catalog name of the member's status, or the Genesys label when the presence is not in the catalog. */
  status: string;
  statusLabel: string;
  systemPresence: SystemPresence;
}

export interface TeamBoard {
  teamId: string;
  teamName: string;
  members: BoardMember[];
  caps: Readonly<Record<string, number>>;
  /** Labels of capped statuses, so a cap shows even when nobody is in that status. */
  statusLabels: Readonly<Record<string, string>>;
  onQueueFloor: number;
  refreshedAt: string;
  /** Policy entries (e-mail or Slack id) that match no Genesys user: the board cannot show them. */
  unmatched: string[];
}

/** A team member with their live status, for pickers. */
export interface TeamAgent {
  member: TeamMember;
  status: AgentStatus;
}

export type HistoryAnswer = { ok: true; records: TransitionRecord[] } | { ok: false; code: 'not_authorized' };

export type QueryDeps = Pick<PipelineDeps, 'policy' | 'genesys' | 'presence' | 'store' | 'directory' | 'now'>;

export interface PipelineQueries {
  agentStatus(genesysUserId: string): Promise<AgentStatus>;
  /** Catalog names one may switch to from any of `from`, in catalog order, that the org can show. */
  nextStatuses(from: readonly string[]): Promise<string[]>;
  /** Catalog names the org can show, in catalog order. */
  settableStatuses(): Promise<string[]>;
  /** The live board of one policy team; undefined when the policy has no such team. */
  teamBoard(teamId: string): Promise<TeamBoard | undefined>;
  /** The members of `teamIds`, each once. */
  teamMembers(teamIds: readonly string[]): Promise<{ members: TeamMember[]; unmatched: string[] }>;
  /** The members of `teamIds` with their live status (members Genesys does not answer for are left out). */
  teamAgents(teamIds: readonly string[]): Promise<TeamAgent[]>;
  /** A policy entry or e-mail as a person; undefined when it matches no Genesys user. */
  person(entry: string): Promise<ResolvedPerson | undefined>;
  /** Everyone the policy names (team members, supervisors, admins) that maps to a Genesys user, each once. */
  policyPeople(): Promise<ResolvedPerson[]>;
  /**
   * The agent's latest decisions, newest first (at most the policy's `history.limit`), for those who may change
   * the agent's status: themselves, their supervisors, admins.
   */
  history(asker: Person, agent: TargetAgent): Promise<HistoryAnswer>;
}

function statusOf(binding: CatalogBinding, state: AgentState): AgentStatus {
  return { snapshot: snapshot(binding, state), since: state.modifiedDate, version: presenceVersion(state) };
}

export function createPipelineQueries(deps: QueryDeps): PipelineQueries {
  const { policy, genesys, presence, store, directory } = deps;
  const now = deps.now ?? (() => new Date());

  async function binding(): Promise<CatalogBinding> {
    return bindCatalog(policy, await genesys.listPresenceDefinitions());
  }

  return {
    async agentStatus(genesysUserId) {
      const [state, bound] = await Promise.all([presence.state(genesysUserId), binding()]);
      return statusOf(bound, state);
    },

    async nextStatuses(from) {
      const bound = await binding();
      const allowed = new Set(from.flatMap((status) => allowedTargets(policy, status)));
      return catalogNames(policy).filter((name) => allowed.has(name) && bound.presenceIdByStatus.has(name));
    },

    async settableStatuses() {
      const bound = await binding();
      return catalogNames(policy).filter((name) => bound.presenceIdByStatus.has(name));
    },

    async teamBoard(teamId) {
      const team = Object.hasOwn(policy.teams, teamId) ? policy.teams[teamId] : undefined;
      if (!team) return undefined;
      const [bound, { members, unmatched }] = await Promise.all([
        binding(),
        resolveTeamMembers(policy, directory, [teamId]),
      ]);
      const states = await loadMemberStates(presence, bound, members);
      return {
        teamId,
        teamName: team.name,
        members: states.map(({ member, state, snapshot: shown }) => ({
          id: member.person.genesysUserId,
          name: member.person.name,
          status: shown.status,
          statusLabel: shown.presenceLabel,
          systemPresence: state.systemPresence,
        })),
        caps: team.caps,
        statusLabels: Object.fromEntries(Object.keys(team.caps).map((name) => [name, statusLabel(policy, name)])),
        onQueueFloor: team.onQueueFloor,
        refreshedAt: now().toISOString(),
        unmatched,
      };
    },

    teamMembers: (teamIds) => resolveTeamMembers(policy, directory, teamIds),

    async teamAgents(teamIds) {
      const [bound, { members }] = await Promise.all([binding(), resolveTeamMembers(policy, directory, teamIds)]);
      return (await loadMemberStates(presence, bound, members)).map(({ member, state }) => ({
        member,
        status: statusOf(bound, state),
      }));
    },

    person: (entry) => directory.resolve(entry),

    policyPeople: () => resolvePolicyPeople(policy, directory),

    async history(asker, agent) {
      if (!canChange(policy, asker, { email: agent.email, slackUserId: agent.slackUserId }).ok) {
        return { ok: false, code: 'not_authorized' };
      }
      return { ok: true, records: await store.transitions.history(agent.genesysUserId, policy.history.limit) };
    },
  };
}
