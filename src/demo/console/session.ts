/**
 * The local Slack console: plays Slack for one person at a time. It sends what Slack would send (signed slash
 * commands, button presses, modal submissions, the Home tab opening), then reads what the app sent back
 * through the Slack stand-in and renders it. State (shown messages, open modals, who is typing) lives in a
 * small JSON file so that separate `npm run slack` invocations continue one conversation.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  actionOf,
  blockActionsPayload,
  CONSOLE_APP_ID,
  CONSOLE_CHANNEL,
  CONSOLE_TEAM,
  type ConsoleUser,
  type FoundElement,
  findButton,
  findInput,
  findSelect,
  inputsOf,
  interactionForm,
  pickByName,
  type StateValue,
  slashCommandForm,
  stateValueFor,
  stateValues,
  type UserResolver,
  viewSubmissionPayload,
} from './payloads.js';
import { frame, isRecord, type RenderContext, renderMessage, renderMrkdwn, renderText, renderView } from './render.js';
import {
  type ConsoleState,
  consoleStateSchema,
  emptyState,
  type MessageSurface,
  type Surface,
  trimState,
  type ViewSurface,
  viewWithIds,
  withIds,
} from './surfaces.js';
import {
  type AppAnswer,
  type ConsoleDirectoryUser,
  type ListedCall,
  postToApp,
  type StandInClient,
  standInClient,
} from './transport.js';

export type ConsoleCommand =
  | { kind: 'slash'; command: string; text: string }
  | { kind: 'click'; label: string }
  | { kind: 'submit'; fields: readonly (readonly [string, string])[] }
  | { kind: 'select'; name: string; value: string }
  | { kind: 'home' }
  | { kind: 'show' }
  | { kind: 'users' }
  | { kind: 'as'; who: string };

export interface SlackConsoleOptions {
  /** The app's `POST /slack/events`. */
  slackUrl: string;
  /** The demo's Slack stand-in; without it only the immediate answers can be shown. */
  standInUrl?: string;
  signingSecret: string;
  /** Where the conversation is kept between invocations. */
  statePath: string;
  channel?: { id: string; name: string };
  /**
   * The app is done once nothing new reached the stand-in for this long (default 1.2 s: apps pace messages to
   * about one per second per channel, so a shorter pause would cut a handover's channel post off).
   */
  quietMs?: number;
  /** Upper bound of the wait for the app's messages after one request (default 15 s). */
  maxWaitMs?: number;
}

const FORM = 'application/x-www-form-urlencoded';

/** Methods whose calls show something to someone. */
const VISIBLE = new Set([
  'response_url',
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'views.open',
  'views.push',
  'views.update',
  'views.publish',
]);

interface Turn {
  seq: number;
  user?: ConsoleUser;
  triggerIds: Set<string>;
  frames: string[];
  /** Calls meant for other people, counted rather than shown. */
  others: Map<string, number>;
  shown: number;
}

export class SlackConsole {
  private readonly standIn: StandInClient | undefined;
  private directory: ConsoleDirectoryUser[] | undefined;
  private tsCounter = 0;

  constructor(private readonly options: SlackConsoleOptions) {
    this.standIn = options.standInUrl ? standInClient(options.standInUrl) : undefined;
  }

  /** Runs one console command as `as` (or whoever typed last) and returns what to print. */
  async run(command: ConsoleCommand, as?: string): Promise<string> {
    const state = this.load();
    const turn: Turn = { seq: state.seq + 1, triggerIds: new Set(), frames: [], others: new Map(), shown: 0 };
    state.seq = turn.seq;
    if (as !== undefined) state.user = (await this.resolveUser(as)).id;
    const needsUser = !['show', 'users', 'as'].includes(command.kind);
    if (needsUser) {
      if (!state.user) throw new Error('who are you? add --as <demo user> (e-mail, the part before @, or name)');
      turn.user = await this.consoleUser(state.user);
    }
    try {
      switch (command.kind) {
        case 'slash':
          await this.slash(state, turn, command.command, command.text);
          break;
        case 'click':
          await this.click(state, turn, command.label);
          break;
        case 'submit':
          await this.submit(state, turn, command.fields);
          break;
        case 'select':
          await this.select(state, turn, command.name, command.value);
          break;
        case 'home':
          await this.home(state, turn);
          break;
        case 'show':
          return await this.show(state);
        case 'users':
          return await this.listUsers(state);
        case 'as': {
          const user = await this.resolveUser(command.who);
          state.user = user.id;
          return `you are now ${user.name} (${user.id})`;
        }
      }
      if (turn.shown > 0) state.lastAnswerSeq = turn.seq;
      const others = [...turn.others].map(([what, n]) => `${n} ${what}`);
      if (others.length) turn.frames.push(`(also sent for other people: ${others.join(', ')})`);
      return turn.frames.join('\n\n');
    } finally {
      this.save(state);
    }
  }

  // --- the four things a person does in Slack -------------------------------------------------------------

  private async slash(state: ConsoleState, turn: Turn, command: string, text: string): Promise<void> {
    const responseUrl = this.newResponseUrl(state);
    const triggerId = this.newTriggerId(turn);
    const since = await this.since();
    const body = slashCommandForm({ command, text, user: turn.user!, channel: this.channel, responseUrl, triggerId });
    const answer = await this.post(body, FORM);
    if (answer.status !== 200) {
      turn.frames.push(httpProblem(answer));
      return;
    }
    let interim = true;
    const ack = answer.json ?? (answer.text.trim() ? { text: answer.text } : undefined);
    if (ack && (ack.text || ack.blocks)) {
      const surface = this.addMessage(state, turn, {
        origin: 'ack',
        channel: this.channel.id,
        ephemeral: ack.response_type !== 'in_channel',
        ack,
        responseUrls: [responseUrl],
      });
      const lines = await this.renderSurface(surface);
      turn.frames.push(
        frame(
          ack.response_type === 'in_channel' ? `answer in #${this.channel.name}` : 'answer (only you can see it)',
          lines,
        ),
      );
      interim = looksInterim(lines);
    } else {
      turn.frames.push('(acknowledged)');
    }
    await this.follow(state, turn, since, interim);
  }

  private async click(state: ConsoleState, turn: Turn, label: string): Promise<void> {
    const found = findButton(this.searchOrder(state), label);
    if (!found.ok) throw new Error(found.message);
    const button = found.value;
    const notes: string[] = [];
    if (isRecord(button.element.confirm)) notes.push(`(confirmed "${renderText(button.element.confirm.title)}")`);
    if (typeof button.element.url === 'string') notes.push(`(your browser would open ${button.element.url})`);
    await this.interact(state, turn, button, actionOf(button, this.actionTs()), notes);
  }

  private async select(state: ConsoleState, turn: Turn, name: string, raw: string): Promise<void> {
    const found = findSelect(this.searchOrder(state), name);
    if (!found.ok) throw new Error(found.message);
    const menu = found.value;
    const value = stateValueFor(menu.element, raw, await this.userResolver());
    if (!value.ok) throw new Error(value.message);
    // A menu inside a modal's input sends nothing until submission, unless it dispatches its choices.
    const input =
      menu.surface.kind === 'view' ? inputsOf(menu.surface.view).find((i) => i.blockId === menu.blockId) : undefined;
    if (input && !input.dispatch) {
      throw new Error(`"${menu.label}" is a field of the modal: fill it in with --submit "${menu.label}=${raw}"`);
    }
    const typed = new Map([[menu.blockId, value.value]]);
    await this.interact(state, turn, menu, actionOf(menu, this.actionTs(), value.value), [], typed);
  }

  private async submit(state: ConsoleState, turn: Turn, fields: ConsoleCommandFields): Promise<void> {
    let modal = state.modals.at(-1);
    if (!modal) throw new Error('no modal is open: open one first (e.g. "/agent-status")');
    const typed = new Map<string, StateValue>();
    const resolveUser = await this.userResolver();
    for (const [name, raw] of fields) {
      const input = findInput(inputsOf(modal.view), name);
      if (!input.ok) throw new Error(input.message);
      const value = stateValueFor(input.value.element, raw, resolveUser);
      if (!value.ok) throw new Error(`${input.value.label}: ${value.message}`);
      typed.set(input.value.blockId, value.value);
      if (input.value.dispatch && !('value' in value.value)) {
        // Slack sends a dispatching menu's choice at once; the app usually rebuilds the modal around it.
        const found: FoundElement = {
          surface: modal,
          blockId: input.value.blockId,
          element: input.value.element,
          label: input.value.label,
        };
        await this.interact(state, turn, found, actionOf(found, this.actionTs(), value.value), [], typed, modal.id);
        modal = state.modals.at(-1);
        if (!modal) return;
      }
    }
    const values = stateValues(modal.view, typed);
    const missing = inputsOf(modal.view).filter((i) => !i.optional && isEmpty(values[i.blockId]?.[i.actionId]));
    if (missing.length) {
      throw new Error(
        `Slack would not submit yet: ${missing.map((i) => `"${i.label}"`).join(', ')} required (--submit "<field>=<value>")`,
      );
    }
    const since = await this.since();
    const triggerId = this.newTriggerId(turn);
    const answer = await this.post(
      interactionForm(viewSubmissionPayload({ user: turn.user!, surface: modal, values, triggerId })),
      FORM,
    );
    if (answer.status !== 200) {
      turn.frames.push(httpProblem(answer));
      return;
    }
    const reply = answer.json ?? {};
    const title = renderText(modal.view.title) || 'modal';
    switch (reply.response_action) {
      case 'errors': {
        const errors = isRecord(reply.errors) ? Object.entries(reply.errors) : [];
        const labelOf = (blockId: string) => inputsOf(modal!.view).find((i) => i.blockId === blockId)?.label ?? blockId;
        turn.frames.push(
          frame(
            `"${title}" was not accepted`,
            errors.map(([block, message]) => `${labelOf(block)}: ${String(message)}`),
          ),
        );
        turn.shown += 1;
        return;
      }
      case 'update':
      case 'push': {
        const view = isRecord(reply.view) ? viewWithIds(reply.view) : {};
        const surface: ViewSurface = {
          kind: 'view',
          origin: `response_action ${reply.response_action}`,
          id: reply.response_action === 'update' ? modal.id : `V${randomUUID().slice(0, 8).toUpperCase()}`,
          view,
          seq: turn.seq,
        };
        if (reply.response_action === 'update') state.modals[state.modals.length - 1] = surface;
        else state.modals.push(surface);
        turn.frames.push(
          frame(
            reply.response_action === 'update' ? 'modal updated' : 'modal opened on top',
            await this.renderSurface(surface),
          ),
        );
        turn.shown += 1;
        break;
      }
      case 'clear':
        state.modals = [];
        turn.frames.push(`(submitted "${title}"; all modals closed)`);
        break;
      default:
        state.modals.pop();
        turn.frames.push(`(submitted "${title}"; the modal closed)`);
    }
    await this.follow(state, turn, since, reply.response_action !== 'update' && reply.response_action !== 'push');
  }

  private async home(state: ConsoleState, turn: Turn): Promise<void> {
    const since = await this.since();
    const event = {
      token: 'console-verification-token',
      team_id: CONSOLE_TEAM.id,
      api_app_id: CONSOLE_APP_ID,
      event: {
        type: 'app_home_opened',
        user: turn.user!.id,
        channel: `D${turn.user!.id.slice(1)}`,
        tab: 'home',
        event_ts: this.actionTs(),
        ...(state.home ? { view: { ...state.home.view, id: state.home.id } } : {}),
      },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: CONSOLE_TEAM.id, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    };
    const answer = await this.post(JSON.stringify(event), 'application/json');
    if (answer.status !== 200) {
      turn.frames.push(httpProblem(answer));
      return;
    }
    await this.follow(state, turn, since, true);
  }

  private async show(state: ConsoleState): Promise<string> {
    const frames: string[] = [];
    for (const surface of state.messages.filter((m) => m.seq === state.lastAnswerSeq)) {
      frames.push(frame(`${surface.origin} (last answer)`, await this.renderSurface(surface)));
    }
    const modal = state.modals.at(-1);
    if (modal) frames.push(frame('open modal', await this.renderSurface(modal)));
    if (state.home && state.home.seq === state.lastAnswerSeq)
      frames.push(frame('App Home', await this.renderSurface(state.home)));
    return frames.join('\n\n') || 'nothing yet: send a command first';
  }

  private async listUsers(state: ConsoleState): Promise<string> {
    const users = await this.users();
    const rows = users
      .filter((u) => !u.isBot && !u.deleted)
      .map((u) => `${u.id === state.user ? '→' : ' '} ${u.id.padEnd(12)} ${(u.email ?? '').padEnd(26)} ${u.name}`);
    return rows.join('\n') || 'the stand-in has no users';
  }

  // --- talking to the app ---------------------------------------------------------------------------------

  /**
   * Presses a button or picks from a menu. `typed` carries the modal's values so far; `awaitViewId` waits for
   * the app's `views.update` of that modal instead of for messages.
   */
  private async interact(
    state: ConsoleState,
    turn: Turn,
    found: FoundElement,
    action: Record<string, unknown>,
    notes: string[],
    typed: ReadonlyMap<string, StateValue> = new Map(),
    awaitViewId?: string,
  ): Promise<void> {
    const { surface } = found;
    const responseUrl = this.newResponseUrl(state);
    if (surface.kind === 'message') {
      const stored = state.messages.find((m) => m.ts === surface.ts);
      stored?.responseUrls.push(responseUrl);
    }
    const values = surface.kind === 'view' ? stateValues(surface.view, typed) : undefined;
    const since = await this.since();
    const payload = blockActionsPayload({
      user: turn.user!,
      found,
      action,
      triggerId: this.newTriggerId(turn),
      responseUrl,
      values,
    });
    const answer = await this.post(interactionForm(payload), FORM);
    turn.frames.push(...notes);
    if (answer.status !== 200) {
      turn.frames.push(httpProblem(answer));
      return;
    }
    await this.follow(state, turn, since, true, awaitViewId);
  }

  private async post(body: string, contentType: string): Promise<AppAnswer> {
    return postToApp(this.options.slackUrl, body, { secret: this.options.signingSecret, contentType });
  }

  /**
   * Reads what the app sends to Slack after a request: waits (bounded) for the first visible call when one is
   * expected, then until the stand-in has been quiet for a moment. Each call is applied to the state and shown.
   */
  private async follow(
    state: ConsoleState,
    turn: Turn,
    since: number | undefined,
    expectMore: boolean,
    awaitViewId?: string,
  ): Promise<void> {
    if (since === undefined || !this.standIn) {
      if (expectMore) turn.frames.push('(no Slack stand-in: messages the app sends later are not shown here)');
      return;
    }
    const quietMs = this.options.quietMs ?? 1_200;
    const deadline = Date.now() + (this.options.maxWaitMs ?? 15_000);
    let next = since;
    let lastActivity = Date.now();
    let waiting = expectMore;
    for (;;) {
      const now = Date.now();
      if (now >= deadline) break;
      if (!waiting && now - lastActivity >= quietMs) break;
      const wait = waiting ? deadline - now : Math.min(quietMs - (now - lastActivity), deadline - now);
      const page = await this.standIn.calls(next, wait);
      if (page.calls.length === 0) continue;
      next = page.next;
      lastActivity = Date.now();
      for (const call of page.calls) {
        const shown = await this.apply(state, turn, call);
        // "⏳ Working…", "Loading…", progress: the app is not done; anything else may be its last word.
        if (shown && (!awaitViewId || (call.method === 'views.update' && call.args.view_id === awaitViewId))) {
          waiting = shown.interim;
        }
      }
    }
    if (waiting) {
      turn.frames.push(
        awaitViewId
          ? '(the app did not update the modal)'
          : '(no answer from the app yet; `show` later, or check its log)',
      );
    }
  }

  /** Applies one recorded Web API call to the state; says whether it showed this user something and whether that looks interim. */
  private async apply(state: ConsoleState, turn: Turn, call: ListedCall): Promise<Shown | undefined> {
    if (!VISIBLE.has(call.method)) return undefined;
    const me = turn.user?.id;
    const { args } = call;
    const failed = call.result && call.result.ok === false ? ` — Slack answered "${String(call.result.error)}"` : '';
    const other = (what: string) => {
      turn.others.set(what, (turn.others.get(what) ?? 0) + 1);
      return undefined;
    };
    const show = async (title: string, surface: Surface): Promise<Shown> => {
      const lines = await this.renderSurface(surface);
      turn.frames.push(frame(`${title}${failed}`, lines));
      turn.shown += 1;
      return { interim: looksInterim(lines) };
    };
    /** A message the app posted (or updated without the console having seen it) in `args.channel`. */
    const posted = (ephemeral: boolean, ts: string) =>
      this.addMessage(state, turn, { origin: call.method, channel: String(args.channel), ephemeral, ack: args, ts });
    switch (call.method) {
      case 'response_url': {
        const url = `${this.standIn!.url}${String(args.path)}`;
        if (!state.responseUrls.includes(url)) return other('replies');
        const target = [...state.messages].reverse().find((m) => m.responseUrls.includes(url));
        if (args.delete_original === true) {
          if (target) state.messages = state.messages.filter((m) => m !== target);
          turn.frames.push('(the app deleted the message)');
          turn.shown += 1;
          return { interim: false };
        }
        if (args.replace_original === true && target) {
          replaceContent(target, args, turn.seq);
          return show('reply (replaces the message)', target);
        }
        const inChannel = args.response_type === 'in_channel';
        const surface = this.addMessage(state, turn, {
          origin: 'response_url',
          channel: target?.channel ?? this.channel.id,
          ephemeral: !inChannel,
          ack: args,
          responseUrls: [url],
        });
        return show(inChannel ? `reply in ${where(surface.channel)}` : 'reply (only you can see it)', surface);
      }
      case 'chat.postEphemeral': {
        if (args.user !== me) return other('ephemeral messages');
        const surface = posted(true, String(call.result?.message_ts ?? this.nextTs(turn)));
        return show(`message in ${where(surface.channel)} (only you can see it)`, surface);
      }
      case 'chat.postMessage': {
        const surface = posted(false, String(call.result?.ts ?? this.nextTs(turn)));
        return show(`message in ${where(surface.channel)}${args.thread_ts ? ' (in a thread)' : ''}`, surface);
      }
      case 'chat.update': {
        const target = state.messages.find((m) => m.ts === args.ts);
        if (target) {
          replaceContent(target, args, turn.seq);
          return show(`message updated in ${where(target.channel)}`, target);
        }
        const surface = posted(false, String(args.ts));
        return show(`message updated in ${where(surface.channel)}`, surface);
      }
      case 'views.open':
      case 'views.push': {
        if (!turn.triggerIds.has(String(args.trigger_id))) return other('modals');
        const surface = viewSurface(call, turn.seq);
        if (call.method === 'views.open') state.modals = [surface];
        else state.modals.push(surface);
        return show(call.method === 'views.open' ? 'modal opened' : 'modal opened on top', surface);
      }
      case 'views.update': {
        const index = state.modals.findIndex((m) => m.id === args.view_id);
        if (index >= 0) {
          const surface = { ...viewSurface(call, turn.seq), id: state.modals[index]!.id };
          state.modals[index] = surface;
          return show('modal updated', surface);
        }
        if (state.home && state.home.id === args.view_id) {
          state.home = { ...viewSurface(call, turn.seq), id: state.home.id };
          return show('App Home updated', state.home);
        }
        return other('modal updates');
      }
      case 'views.publish': {
        if (args.user_id !== me) return other('App Home refreshes');
        state.home = viewSurface(call, turn.seq);
        return show('App Home', state.home);
      }
      default:
        return undefined;
    }
  }

  // --- helpers --------------------------------------------------------------------------------------------

  private get channel() {
    return this.options.channel ?? CONSOLE_CHANNEL;
  }

  /** Where `--click` and `--select` look: the last answer first (newest first), the open modal, the Home tab, older messages. */
  private searchOrder(state: ConsoleState): Surface[] {
    const newestFirst = [...state.messages].reverse();
    const last = newestFirst.filter((m) => m.seq === state.lastAnswerSeq);
    const older = newestFirst.filter((m) => m.seq !== state.lastAnswerSeq);
    const modal = state.modals.at(-1);
    return [...last, ...(modal ? [modal] : []), ...(state.home ? [state.home] : []), ...older];
  }

  private addMessage(
    state: ConsoleState,
    turn: Turn,
    input: {
      origin: string;
      channel: string;
      ephemeral: boolean;
      ack: Record<string, unknown>;
      responseUrls?: string[];
      ts?: string;
    },
  ): MessageSurface {
    const surface: MessageSurface = {
      kind: 'message',
      origin: input.origin,
      ts: input.ts ?? this.nextTs(turn),
      channel: input.channel,
      ephemeral: input.ephemeral,
      text: typeof input.ack.text === 'string' ? input.ack.text : undefined,
      blocks: withIds(Array.isArray(input.ack.blocks) ? input.ack.blocks : []),
      responseUrls: input.responseUrls ?? [],
      seq: turn.seq,
    };
    state.messages.push(surface);
    turn.shown += input.origin === 'ack' ? 1 : 0;
    return surface;
  }

  private async renderSurface(surface: Surface): Promise<string[]> {
    const context: RenderContext = { userNames: new Map((await this.users()).map((u) => [u.id, u.name])) };
    return surface.kind === 'message' ? renderMessage(surface, context) : renderView(surface.view, context);
  }

  private async since(): Promise<number | undefined> {
    return this.standIn ? this.standIn.count() : undefined;
  }

  private async users(): Promise<ConsoleDirectoryUser[]> {
    if (!this.standIn) return [];
    this.directory ??= await this.standIn.users();
    return this.directory;
  }

  private async resolveUser(who: string): Promise<ConsoleDirectoryUser> {
    const picked = pickUser(await this.users(), who);
    if (!picked.ok) throw new Error(picked.message);
    return picked.value;
  }

  /** For user menus: the Slack id of whom a typed name means, undefined for no one. */
  private async userResolver(): Promise<UserResolver> {
    const directory = await this.users();
    return (who) => {
      const picked = pickUser(directory, who);
      return picked.ok ? picked.value.id : undefined;
    };
  }

  private async consoleUser(id: string): Promise<ConsoleUser> {
    const user = (await this.users()).find((u) => u.id === id);
    return { id, username: user?.email?.split('@')[0] ?? user?.name ?? id.toLowerCase() };
  }

  private newResponseUrl(state: ConsoleState): string {
    const base = this.standIn?.url ?? 'http://127.0.0.1:9';
    const url = `${base}/response/${randomUUID()}`;
    state.responseUrls.push(url);
    return url;
  }

  private newTriggerId(turn: Turn): string {
    const id = `${Date.now()}.console.${randomUUID().slice(0, 8)}`;
    turn.triggerIds.add(id);
    return id;
  }

  private actionTs(): string {
    return (Date.now() / 1000).toFixed(6);
  }

  /** A message timestamp for messages Slack would have stamped itself (replies, acks). */
  private nextTs(turn: Turn): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(turn.seq % 10_000).padStart(4, '0')}${String(this.tsCounter % 100).padStart(2, '0')}`;
  }

  private load(): ConsoleState {
    try {
      const parsed = consoleStateSchema.safeParse(JSON.parse(readFileSync(this.options.statePath, 'utf8')));
      return parsed.success ? parsed.data : emptyState();
    } catch {
      return emptyState();
    }
  }

  private save(state: ConsoleState): void {
    mkdirSync(dirname(this.options.statePath), { recursive: true });
    writeFileSync(this.options.statePath, `${JSON.stringify(trimState(state))}\n`);
  }
}

type ConsoleCommandFields = readonly (readonly [string, string])[];

function viewSurface(call: ListedCall, seq: number): ViewSurface {
  const answered = isRecord(call.result?.view) ? call.result.view : {};
  const sent = isRecord(call.args.view) ? call.args.view : {};
  const id = String(answered.id ?? call.args.view_id ?? `V${randomUUID().slice(0, 8).toUpperCase()}`);
  return { kind: 'view', origin: call.method, id, view: viewWithIds(sent), seq };
}

function replaceContent(target: MessageSurface, args: Record<string, unknown>, seq: number): void {
  target.text = typeof args.text === 'string' ? args.text : target.text;
  target.blocks = withIds(Array.isArray(args.blocks) ? args.blocks : []);
  target.seq = seq;
}

interface Shown {
  interim: boolean;
}

/** "Working on it", "Loading…", a progress bar: the app's real answer is still to come. */
export function looksInterim(lines: readonly string[]): boolean {
  const text = lines.join('\n');
  return /⏳|⌛|:hourglass/.test(text) || /\b(working|loading|in progress)\b/i.test(text);
}

/** A channel id as people read it: a direct message when it is a user's (or DM) id. */
function where(channel: string): string {
  return /^[UWD]/.test(channel) ? `a direct message (${channel})` : `#${channel}`;
}

function isEmpty(value: StateValue | undefined): boolean {
  if (!value) return true;
  const picked =
    value.value ??
    value.selected_option ??
    value.selected_user ??
    value.selected_conversation ??
    value.selected_channel ??
    value.selected_date ??
    value.selected_time;
  const many =
    value.selected_options ?? value.selected_users ?? value.selected_conversations ?? value.selected_channels;
  if (Array.isArray(many)) return many.length === 0;
  return picked === null || picked === undefined || picked === '';
}

function httpProblem(answer: AppAnswer): string {
  const detail = answer.text.trim() ? `: ${renderMrkdwn(answer.text.trim()).slice(0, 500)}` : '';
  const hint = answer.status === 401 ? ' (signature refused: is SLACK_SIGNING_SECRET the same as the app’s?)' : '';
  return `the app answered HTTP ${answer.status}${detail}${hint}`;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * The person `who` names in the demo's Slack directory: e-mail, the part before @, name or Slack id. Without a
 * directory (the app talks to real Slack) only a Slack id can name someone, and stands for itself.
 */
function pickUser(
  directory: readonly ConsoleDirectoryUser[],
  who: string,
): { ok: true; value: ConsoleDirectoryUser } | { ok: false; message: string } {
  const people = directory.filter((u) => !u.isBot && !u.deleted);
  if (people.length > 0) {
    return pickByName(people, who, (u) => [u.email?.split('@')[0] ?? u.name, u.email ?? '', u.name, u.id], 'demo user');
  }
  if (SLACK_USER_ID.test(who)) return { ok: true, value: { id: who, name: who } };
  return { ok: false, message: `without the demo's Slack stand-in, --as takes a Slack user id (U…), not "${who}"` };
}
