import { z } from 'zod';

/**
 * The shape of every administration command (see admin.parser.ts): the type is inferred from it, and
 * the tests check what the parser returns against it. Not loaded at run time, so that zod stays out
 * of the start-up of every `jxc` command.
 */
export const adminCommandSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('openShop'), name: z.string().optional() }),
  z.object({ intent: z.literal('bindCode') }),
  z.object({ intent: z.literal('bind'), code: z.string() }),
  z.object({ intent: z.literal('linkCode') }),
  z.object({ intent: z.literal('unbind') }),
  z.object({ intent: z.literal('members') }),
  z.object({ intent: z.literal('grant'), target: z.string(), role: z.enum(['owner', 'staff', 'viewer']) }),
  z.object({ intent: z.literal('remove'), target: z.string() }),
  z.object({ intent: z.literal('audit'), product: z.string().optional(), entryNo: z.number().int().positive().optional() }),
  z.object({ intent: z.literal('memberRole'), role: z.enum(['staff', 'viewer']) }),
  z.object({
    intent: z.literal('shopSetting'),
    key: z.enum(['lowStockAlert', 'digestPicture', 'salesWindowDays', 'leadTimeDays', 'safetyDays', 'overstockCoverDays', 'noSaleDays', 'expiryWarnDays']),
    value: z.union([z.boolean(), z.number().int().min(1).max(3650)]),
  }),
]);
