/** A policy shaped like policy/default.yaml but owned by these tests, so edits to the default never break them. */
import { type Policy, policySchema } from '../../src/policy/schema.js';

export const testPolicyData = {
  version: 1,
  statuses: {
    available: { presence: 'Available', aliases: ['avail', 'back'] },
    'on-queue': { presence: 'On Queue', label: 'On Queue', aliases: ['queue', 'ready'] },
    away: { presence: 'Away', reason: 'required', reasons: ['doctor', 'personal', 'IT issue'] },
    busy: { presence: 'Busy', reason: 'optional', minDwellSeconds: 120 },
    break: { presence: 'Break', aliases: ['brb'], reason: 'optional', minDwellSeconds: 60 },
    meal: { presence: 'Meal' },
    lunch: { presence: 'Lunch', systemPresence: 'Meal', minDwellSeconds: 300 },
    training: { presence: 'Training' },
    coaching: { presence: 'Coaching', systemPresence: 'Training', reason: 'required' },
    offline: { presence: 'Offline', aliases: ['off', 'logout'] },
  },
  transitions: {
    offline: ['available', 'on-queue'],
    available: ['*'],
    'on-queue': ['*'],
    busy: ['*'],
    away: ['available', 'on-queue', 'offline'],
    break: ['available', 'on-queue', 'offline'],
    meal: ['available', 'on-queue'],
    lunch: ['available', 'on-queue'],
    training: ['coaching'],
    coaching: [],
    '*': ['offline'],
  },
  teams: {
    billing: {
      name: 'Billing',
      supervisors: ['sam.super@example.com'],
      members: ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'UERIN0001'],
      caps: { break: 2, lunch: 1 },
      onQueueFloor: 2,
    },
    support: {
      name: 'Support',
      supervisors: ['USUE00001'],
      members: ['carol@example.com', 'frank@example.com', 'grace@example.com'],
      caps: { break: 1 },
      onQueueFloor: 1,
    },
    nightshift: { name: 'Night shift', members: ['nina@example.com'] },
  },
  admins: ['ada.admin@example.com'],
};

export const testPolicy: Policy = policySchema.parse(testPolicyData);

/** The test policy with some top-level parts replaced. */
export function policyWith(parts: Partial<Record<keyof typeof testPolicyData, unknown>>): Policy {
  return policySchema.parse({ ...testPolicyData, ...parts });
}
