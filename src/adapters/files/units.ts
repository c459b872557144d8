/**
 * Spreadsheet unit cells use the shop's one unit vocabulary (src/core/units.ts): `KG`, `pcs`,
 * `box` are read as the Chinese unit the ledger keeps.
 */
export { isCountUnit, normalizeUnit } from '../../core/units.ts';
