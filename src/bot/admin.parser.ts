import type { z } from 'zod';
import type { adminCommandSchema } from './admin-command.schema.ts';

/**
 * The shop-administration phrases: opening a shop, binding chats, managing people, reading the audit
 * trail. They are parsed before the inventory language because `设置 群成员 …` would otherwise read as
 * a product setting.
 */
export type AdminCommand = z.infer<typeof adminCommandSchema>;
export type AdminIntent = AdminCommand['intent'];

export type AdminParse = { kind: 'command'; command: AdminCommand } | { kind: 'error'; message: string } | { kind: 'none' };

const ROLE_WORDS: Record<string, 'owner' | 'staff' | 'viewer'> = {
  老板: 'owner',
  店主: 'owner',
  owner: 'owner',
  店员: 'staff',
  员工: 'staff',
  staff: 'staff',
  查看: 'viewer',
  只读: 'viewer',
  访客: 'viewer',
  viewer: 'viewer',
};

const NAME_MAX = 30;

/** Shop-wide digest settings: `设置 滞销天数 60`. */
const SHOP_DAYS: Record<string, 'salesWindowDays' | 'leadTimeDays' | 'safetyDays' | 'overstockCoverDays' | 'noSaleDays' | 'expiryWarnDays'> = {
  销量天数: 'salesWindowDays',
  统计天数: 'salesWindowDays',
  默认交期: 'leadTimeDays',
  安全天数: 'safetyDays',
  积压天数: 'overstockCoverDays',
  滞销天数: 'noSaleDays',
  临期天数: 'expiryWarnDays',
};
const ON = new Set(['开', '开启', '打开', 'on', '是']);
const OFF = new Set(['关', '关闭', 'off', '否']);

/** Recognises an administration message, or says it is none of them. */
export function parseAdmin(raw: string): AdminParse {
  let text = raw.normalize('NFKC').replace(/[\u200B-\u200D\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
  // A leading @bot mention is addressing, not content.
  text = text.replace(/^@\S+\s+(?=(开店|绑定|关联|解绑|成员|授权|移除|记录|设置 ?(群成员|缺货提醒|日报 ?(?:图片|图|文字|文本)$|销量天数|统计天数|默认交期|安全天数|积压天数|滞销天数|临期天数)|\/start))/, '');
  if (text.length > 200) return { kind: 'none' };
  let m: RegExpExecArray | null;
  if ((m = /^\/start(?:@\S+)?(?:\s+(.*))?$/.exec(text))) return cmd({ intent: 'openShop', name: m[1]?.trim() || undefined });
  if ((m = /^开店(?:\s*(.*))?$/.exec(text))) {
    const name = m[1]?.trim();
    if (name && name.length > NAME_MAX) return { kind: 'error', message: `店名太长（最多 ${NAME_MAX} 个字）。例：开店 小王的店` };
    return cmd({ intent: 'openShop', name: name || undefined });
  }
  if (/^绑定码$/.test(text)) return cmd({ intent: 'bindCode' });
  if (/^(关联码|关联账号)$/.test(text)) return cmd({ intent: 'linkCode' });
  // One way to use either kind of code: what it does is stored with the code, not in the verb.
  if ((m = /^(?:绑定|关联)\s*([A-Za-z0-9]+)$/.exec(text))) return cmd({ intent: 'bind', code: (m[1] as string).toUpperCase() });
  if (/^绑定$/.test(text)) return { kind: 'error', message: '缺少绑定码。先在已绑定的聊天里发「绑定码」，再到这里发：绑定 ABC123' };
  if (/^关联$/.test(text)) return { kind: 'error', message: '缺少关联码。先在和我的私聊里发「关联码」，再到另一个平台和我的私聊里发：关联 ABC123' };
  if (/^解绑$/.test(text)) return cmd({ intent: 'unbind' });
  if (/^(成员|成员列表|人员)$/.test(text)) return cmd({ intent: 'members' });
  if ((m = /^授权\s*@?(\S+)\s+(\S+)$/.exec(text))) {
    const role = ROLE_WORDS[(m[2] as string).toLowerCase()];
    if (!role) return { kind: 'error', message: `不认识的身份「${m[2]}」，可选：店员、查看、老板。例：授权 @小李 店员` };
    return cmd({ intent: 'grant', target: m[1] as string, role });
  }
  if (/^授权/.test(text)) return { kind: 'error', message: '格式：授权 @某人 店员|查看|老板。例：授权 @小李 店员' };
  if ((m = /^移除\s*@?(\S+)$/.exec(text))) return cmd({ intent: 'remove', target: m[1] as string });
  if ((m = /^设置\s*群成员\s*(\S+)$/.exec(text))) {
    const role = ROLE_WORDS[(m[1] as string).toLowerCase()];
    if (role !== 'staff' && role !== 'viewer') return { kind: 'error', message: '群成员默认身份只能是「店员」或「查看」。例：设置 群成员 店员' };
    return cmd({ intent: 'memberRole', role });
  }
  if ((m = /^设置\s*缺货提醒\s*(\S+)$/.exec(text))) {
    const word = (m[1] as string).toLowerCase();
    if (!ON.has(word) && !OFF.has(word)) return { kind: 'error', message: '缺货提醒只能「开」或「关」。例：设置 缺货提醒 开' };
    return cmd({ intent: 'shopSetting', key: 'lowStockAlert', value: ON.has(word) });
  }
  // `设置 日报 21:00` is the time (a product-language setting); pictures or text is the digest's form.
  if ((m = /^设置\s*日报\s*(图片|图|文字|文本)$/.exec(text))) return cmd({ intent: 'shopSetting', key: 'digestPicture', value: m[1] === '图片' || m[1] === '图' });
  if ((m = /^设置\s*(销量天数|统计天数|默认交期|安全天数|积压天数|滞销天数|临期天数)\s*(\S+)$/.exec(text))) {
    const days = /^\d{1,4}$/.test(m[2] as string) ? Number(m[2]) : NaN;
    if (!(days >= 1 && days <= 3650)) return { kind: 'error', message: `${m[1]}要写 1 到 3650 之间的整数天。例：设置 ${m[1]} 30` };
    return cmd({ intent: 'shopSetting', key: SHOP_DAYS[m[1] as string] as 'noSaleDays', value: days });
  }
  if ((m = /^记录(?:\s+(.*))?$/.exec(text))) {
    const arg = m[1]?.trim();
    if (!arg) return cmd({ intent: 'audit' });
    const no = /^#?(\d+)$/.exec(arg);
    if (no) return cmd({ intent: 'audit', entryNo: Number(no[1]) });
    return cmd({ intent: 'audit', product: arg });
  }
  return { kind: 'none' };
}

function cmd(command: AdminCommand): AdminParse {
  return { kind: 'command', command };
}
