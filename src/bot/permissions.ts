import type { AdminIntent } from './admin.parser.ts';
import type { Intent } from './command.ts';

export type Role = 'owner' | 'staff' | 'viewer';

/** What a role may do beyond running an intent. */
export type Capability = Intent | AdminIntent | 'seeCost' | 'undoOthers';

/**
 * The one permission table. Every intent and capability is listed for every role, so adding an
 * intent without deciding who may use it fails to compile.
 */
export const PERMISSIONS: Record<Capability, Record<Role, boolean>> = {
  purchase: { owner: true, staff: true, viewer: false },
  sale: { owner: true, staff: true, viewer: false },
  customerReturn: { owner: true, staff: true, viewer: false },
  supplierReturn: { owner: true, staff: true, viewer: false },
  stocktake: { owner: true, staff: true, viewer: false },
  transfer: { owner: true, staff: true, viewer: false },
  query: { owner: true, staff: true, viewer: true },
  undo: { owner: true, staff: true, viewer: false },
  correct: { owner: true, staff: true, viewer: false },
  report: { owner: true, staff: true, viewer: true },
  setting: { owner: true, staff: false, viewer: false },
  alias: { owner: true, staff: true, viewer: false },
  help: { owner: true, staff: true, viewer: true },
  // Spreadsheets carry cost and profit, and an import writes many entries at once: owners only (and only in their private chat, see src/bot/files).
  export: { owner: true, staff: false, viewer: false },
  importFile: { owner: true, staff: false, viewer: false },
  confirmImport: { owner: true, staff: false, viewer: false },
  cancelImport: { owner: true, staff: false, viewer: false },
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
