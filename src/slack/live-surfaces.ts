/**
 * Where changes made in Genesys show in Slack: the Home tabs that show the agent (their own, and the boards of
 * their teams' supervisors and admins), republished together a moment after a burst of changes; and the alert in a
 * team's channel when such a change takes the team out of its limits, edited once it is back within them.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { LimitAlert, OutsideChangeSurfaces } from '../pipeline/outside-changes.js';
import { supervisedTeams } from '../policy/roles.js';
import type { SlackDeps } from './deps.js';
import { type HomeDeps, publishHome } from './home.js';
import { slackErrorCode } from './modal-flow.js';
import { limitAlertMessage, limitResolvedMessage } from './views/limit-alert.js';

/** A timer that can be cancelled; `setTimeout` by default. */
export type Schedule = (run: () => void, ms: number) => { cancel(): void };

export interface LiveSurfacesOptions {
  deps: HomeDeps & Pick<SlackDeps, 'background'>;
  client: webApi.WebClient;
  /**
   * How long changes are gathered before the tabs they touch are republished: a burst of changes costs each
   * tab one `views.publish`, well within Slack's limits, and the tab is current within about this long.
   */
  gatherMs?: number;
  schedule?: Schedule;
}

const postedAnswer = z.object({ channel: z.string().min(1), ts: z.string().min(1) });

const timeout: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/** Owns the gathering timer: `stop()` cancels a refresh not yet started. */
export class LiveSurfaces implements OutsideChangeSurfaces {
  private readonly agents = new Set<string>();
  private readonly teams = new Set<string>();
  private pending: { cancel(): void } | undefined;
  private readonly gatherMs: number;
  private readonly schedule: Schedule;

  constructor(private readonly options: LiveSurfacesOptions) {
    this.gatherMs = options.gatherMs ?? 500;
    this.schedule = options.schedule ?? timeout;
  }

  agentChanged(change: { agentId: string; teamIds: readonly string[] }): void {
    this.agents.add(change.agentId);
    for (const teamId of change.teamIds) this.teams.add(teamId);
    this.pending ??= this.schedule(() => {
      this.pending = undefined;
      this.options.deps.background(() => this.refresh());
    }, this.gatherMs);
  }

  stop(): void {
    this.pending?.cancel();
    this.pending = undefined;
  }

  /** Republishes, one after another, each published tab that shows a changed agent or a changed team's board. */
  private async refresh(): Promise<void> {
    const { deps, client } = this.options;
    const agents = new Set(this.agents);
    const teams = new Set(this.teams);
    this.agents.clear();
    this.teams.clear();
    for (const slackUserId of deps.openHomes.list()) {
      const identity = await deps.identity.identify(slackUserId);
      if (!identity.ok) continue;
      const person = { email: identity.person.email, slackUserId };
      const shows =
        agents.has(identity.person.genesysUserId) ||
        supervisedTeams(deps.policy, person).some((teamId) => teams.has(teamId));
      if (shows) await publishHome(deps, client, slackUserId);
    }
  }

  async postLimitAlert(alert: LimitAlert): Promise<string | undefined> {
    const { deps, client } = this.options;
    const channel = deps.policy.teams[alert.teamId]?.channel;
    if (!channel) {
      deps.logger.warn({ team: alert.teamId }, 'a team outside its limits has no channel in the policy to alert');
      return undefined;
    }
    const message = limitAlertMessage(alert);
    const posted = postedAnswer.parse(await client.chat.postMessage({ channel, ...message }));
    return `${posted.channel}/${posted.ts}`;
  }

  async resolveLimitAlert(alert: LimitAlert, ref: string): Promise<void> {
    const { deps, client } = this.options;
    const [channel = '', ts = ''] = ref.split('/');
    try {
      await client.chat.update({ channel, ts, ...limitResolvedMessage(alert) });
    } catch (err) {
      deps.logger.warn({ err, code: slackErrorCode(err), channel }, 'could not mark a limit alert resolved');
    }
  }
}
