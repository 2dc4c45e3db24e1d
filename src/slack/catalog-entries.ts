import { catalogNames, statusLabel } from '../policy/catalog.js';
import type { Policy } from '../policy/schema.js';
import type { StatusCatalogEntry } from './views/blocks.js';

/** The policy's status catalog as the views show it. */
export function catalogEntries(policy: Policy): StatusCatalogEntry[] {
  return catalogNames(policy).map((name) => {
    const status = policy.statuses[name]!;
    return {
      name,
      label: statusLabel(policy, name),
      aliases: status.aliases,
      reason: status.reason,
      reasons: status.reasons,
    };
  });
}
