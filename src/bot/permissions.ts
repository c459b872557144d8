import type { AdminIntent } from './admin.parser.ts';
import type { Intent } from './command.ts';
import { INTENT_PERMISSIONS } from './intents/index.ts';

export type Role = 'owner' | 'staff' | 'viewer';

/** What a role may do beyond running an intent. */
export type Capability = Intent | AdminIntent | 'seeCost' | 'undoOthers';

/**
 * The one permission table: the intents' rows come from the intent registry (each intent must
 * declare one to compile), the admin phrases and the extra capabilities are listed here.
 */
export const PERMISSIONS: Record<Capability, Readonly<Record<Role, boolean>>> = {
  // The intents' rows are declared with the intents (src/bot/intents).
  ...INTENT_PERMISSIONS,
  openShop: { owner: true, staff: false, viewer: false },
  bindCode: { owner: true, staff: false, viewer: false },
  bind: { owner: true, staff: false, viewer: false },
  linkCode: { owner: true, staff: false, viewer: false },
  unbind: { owner: true, staff: false, viewer: false },
  members: { owner: true, staff: true, viewer: false },
  grant: { owner: true, staff: false, viewer: false },
  remove: { owner: true, staff: false, viewer: false },
  audit: { owner: true, staff: true, viewer: false },
  memberRole: { owner: true, staff: false, viewer: false },
  shopSetting: { owner: true, staff: false, viewer: false },
  seeCost: { owner: true, staff: false, viewer: false },
  undoOthers: { owner: true, staff: false, viewer: false },
};

export const ROLE_LABELS: Record<Role, string> = { owner: '老板', staff: '店员', viewer: '查看' };

export function can(role: Role, capability: Capability): boolean {
  return PERMISSIONS[capability][role];
}

/** The least role that has a capability, for refusals that say who may do it. */
export function neededRole(capability: Capability): Role {
  const order: Role[] = ['viewer', 'staff', 'owner'];
  return order.find((r) => PERMISSIONS[capability][r]) ?? 'owner';
}
