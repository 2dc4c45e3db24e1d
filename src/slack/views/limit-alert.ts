/** The alert a team's channel gets when a change made in Genesys takes the team out of its limits, and its resolution. */
import type { LimitAlert } from '../../pipeline/outside-changes.js';
import { context, fallbackText, type SlackMessage, section, userText } from './blocks.js';

export function limitAlertMessage(alert: LimitAlert): SlackMessage {
  const team = userText(alert.teamName, 80);
  const breaches = alert.breaches.map((breach) => `• ${userText(breach, 600)}`);
  return {
    text: fallbackText(`${alert.teamName} is outside its limits after a change made in Genesys: ${alert.change}`),
    blocks: [
      section(`:warning: *${team}* is outside its limits after a change made in Genesys.`),
      section(`*${userText(alert.change, 300)}*\n${breaches.join('\n')}`),
      context('This message is edited when the team is back within its limits.'),
    ],
  };
}

export function limitResolvedMessage(alert: LimitAlert): SlackMessage {
  const team = userText(alert.teamName, 80);
  return {
    text: fallbackText(`Resolved: ${alert.teamName} is back within its limits.`),
    blocks: [
      section(`:white_check_mark: Resolved: *${team}* is back within its caps and on-queue floor.`),
      context(`Last change: ${userText(alert.change, 300)}`),
    ],
  };
}
