/**
 * The largest input the service accepts from people and peers. Each is checked before any parsing, matching
 * or suggestion work, so no request can make the service spend more than these sizes allow. README
 * ("Input limits") and SECURITY.md list them; change them there too.
 */
export const INPUT_LIMITS = {
  /** A request to `POST /slack/events` (Slack's largest, a modal submission with its view, stays far below). */
  slackRequestBytes: 512 * 1024,
  /** The text after `/agent-status`. */
  commandTextChars: 1_000,
  /**
   * A reason, written to Genesys as the presence `message`. Genesys documents no maximum for that field,
   * so this is a conservative choice that fits its UI and payroll systems' note fields.
   */
  reasonChars: 200,
  /** Any free-text modal field (Slack's own `max_length` ceiling for `plain_text_input`). */
  modalTextChars: 3_000,
  /** A button's `value` or a menu option's value (Slack allows 2 000 and 150). */
  actionValueChars: 2_000,
  /** `private_metadata` of a view (Slack's limit). */
  viewMetadataChars: 3_000,
  /** A body posted to the sidecar's `POST /webhooks/payroll/ack`. */
  ackBodyBytes: 16 * 1024,
  /** The receiver's `message` in an acknowledgement. */
  ackMessageChars: 2_000,
} as const;
