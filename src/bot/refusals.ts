import type { AccessRefusal } from '../core/access.service.ts';
import type { CatalogueFailure } from '../core/catalogue.service.ts';
import { neededRole, ROLE_LABELS, type Capability, type Role } from './permissions.ts';

/**
 * Every refusal the conversation gives, as a code, worded here once so the same situation reads the
 * same on every chat. Ledger refusals (`src/core/failures.ts`) are worded by `failureReply` in
 * replies.ts; spreadsheet-specific lines live in files/file-replies.ts.
 */
export type BotRefusal =
  /** The role lacks the capability; names the least role that has it. */
  | { code: 'PERMISSION'; role: Role; needed: Role }
  /** Profit is shown only to owners in their own chat (it reveals cost). */
  | { code: 'PROFIT_OWNER_ONLY' }
  /** Purchase prices and average cost are shown only to owners in their own chat. */
  | { code: 'COST_OWNER_ONLY'; product: string }
  /** 应付 is cost data: only owners, in a chat whose audience may see cost. */
  | { code: 'PAYABLES_OWNER_ONLY' }
  /** 应付 for a supplier no dropship product or entry names; `known` are the ones that exist. */
  | { code: 'UNKNOWN_SUPPLIER'; supplier: string; known: string[] }
  /** A second plain 撤销 right after one: it does not walk further back; the last undo is named. */
  | { code: 'SECOND_UNDO'; lastSeq: number }
  /** The sender was removed from the shop. */
  | { code: 'REMOVED' }
  /** A command in a chat not bound to any shop. */
  | { code: 'UNBOUND' }
  /** Something failed that should not have; nothing was recorded. */
  | { code: 'INTERNAL_ERROR' }
  /** A line that looked like a command but could not be read; `example` shows how to write it. */
  | { code: 'PARSE_ERROR'; message: string; example?: string | undefined; parseCode?: string | undefined }
  | { code: 'AUDIT_UNKNOWN_PRODUCT'; product: string }
  | { code: 'AUDIT_NO_ENTRY'; entryNo: number }
  /** 网页 in a group: everyone there would see the sign-in link. */
  | { code: 'WEB_PRIVATE_ONLY' }
  /** 网页 while no web view is served (the console chat, JXC_WEB=off). */
  | { code: 'WEB_OFF' }
  | AccessRefusal
  | Extract<CatalogueFailure, { code: 'SKU_TAKEN' }>;

export type BotRefusalCode = BotRefusal['code'];

const CODE_WORD = { chat: '绑定码', link: '关联码' } as const;

/** Chinese for a refusal. One exhaustive switch: a new code without wording fails to compile. */
export function refusalText(r: BotRefusal): string {
  switch (r.code) {
    case 'PERMISSION':
      return `⛔ 你的身份是「${ROLE_LABELS[r.role]}」，这个操作需要「${ROLE_LABELS[r.needed]}」权限。`;
    case 'PROFIT_OWNER_ONLY':
      return `⛔ 利润只有「${ROLE_LABELS.owner}」可以查看。可以发「销量 本月」看销量。`;
    case 'COST_OWNER_ONLY':
      return `⛔ 进价和成本只有「${ROLE_LABELS.owner}」在老板私聊里可以查看。可以发「查 ${r.product}」看库存。`;
    case 'PAYABLES_OWNER_ONLY':
      return `⛔ 应付（代发进价）只有「${ROLE_LABELS.owner}」在老板能看成本的聊天里可以查看，比如和我的私聊。`;
    case 'UNKNOWN_SUPPLIER':
      return r.known.length > 0
        ? `❌ 没有供应商「${r.supplier}」的代发记录。代发供应商有：${r.known.join('、')}。\n例：应付 ${r.known[0]} 本月`
        : `❌ 没有供应商「${r.supplier}」的代发记录，也还没有代发商品。先设置：设置 手机壳 代发 供应商 ${r.supplier} 进价 6`;
    case 'SECOND_UNDO':
      return `⛔ 刚才已经撤销过一次（撤销记录 #${r.lastSeq}）。再发「撤销」不会接着往前撤；要撤销更早的一条，请写它的单号（确认回复里 ✅ 后面的数字）。\n例：撤销 #12`;
    case 'REMOVED':
      return '⛔ 你已被移出本店，不能再操作。如有疑问请联系老板。';
    case 'UNBOUND':
    case 'NOT_ALLOWED_TO_OPEN':
      return '本聊天还没有绑定店铺。请老板在这里发「开店 店名」，或在已绑定的聊天里发「绑定码」，再到这里发「绑定 码」。';
    case 'INTERNAL_ERROR':
      return '⚠️ 出错了，这条没有记账。请稍后再试；如果一直这样，请联系管理员。';
    case 'PARSE_ERROR':
      // A hint answers a line meant as a record but not written as one: one line, with the fix.
      if (r.parseCode === 'HINT_VERB' || r.parseCode === 'HINT_UNDO') return `💡 ${r.message}${r.example ? `例：${r.example}` : ''}`;
      // A name that fits several products is a question, not an error.
      return `${r.parseCode === 'AMBIGUOUS_PRODUCT' ? '❓' : '❌'} ${r.message}${r.example ? `\n例：${r.example}` : ''}`;
    case 'AUDIT_UNKNOWN_PRODUCT':
      return `❌ 没有找到商品「${r.product}」。例：记录 T恤 或 记录 #12`;
    case 'AUDIT_NO_ENTRY':
      return `❌ 本店没有记录 #${r.entryNo}。`;
    case 'WEB_PRIVATE_ONLY':
      return '🔒 网页登录链接只在和我的私聊里发（群里的人都会看到链接）。请点开我的头像，在私聊里发「网页」。';
    case 'WEB_OFF':
      return '🌐 网页版没有开启：它由 jxc start 和聊天机器人一起启动（JXC_WEB=on）。请联系管理员。';
    case 'SHOP_NAME_TAKEN':
      return `❌ 店名「${r.name}」已被使用，请换一个。例：开店 ${r.name}2`;
    case 'ALREADY_BOUND':
      return `本聊天已经绑定店铺「${r.shopName}」。要换店请先发「解绑」。`;
    case 'CODE_INVALID':
      return r.purpose === 'chat'
        ? '❌ 绑定码无效、已用过或已过期（10 分钟有效）。请老板重新发「绑定码」。'
        : '❌ 关联码无效、已用过或已过期（10 分钟有效）。请在和我的私聊里重新发「关联码」。';
    case 'CODE_SHOP_GONE':
      return `❌ 这个${CODE_WORD[r.purpose]}对应的店铺已不存在。`;
    case 'CODE_NEEDS_PERSON':
      return `⛔ 只有老板本人可以生成${CODE_WORD[r.purpose]}。`;
    case 'LINK_CODE_PRIVATE_ONLY':
      return '🔒 关联码只在私聊里发。请点开我的头像，在和我的私聊里发「关联码」。\n（要把别的群接到本店，发「绑定码」。）';
    case 'LINK_CODE_IN_GROUP':
      return '❌ 关联码只能在和我的私聊里用，发在群里的已经作废。请在和我的私聊里重新发「关联码」，再到另一个平台和我的私聊里发「关联 码」。';
    case 'LINK_CODE_UNBOUND':
      return '这个私聊还没有绑定店铺。请先在店里的群发「绑定码」，再到这里发「绑定 码」，然后在这里发「关联码」。';
    case 'LINK_OTHER_SHOP':
      return `❌ 本聊天已经绑定店铺「${r.boundShop}」，不能关联到「${r.shop}」。`;
    case 'LINK_ASKER_GONE':
      return '❌ 发这个关联码的人已不在本店，关联码作废。';
    case 'LINK_ACCOUNT_REPLACE':
      return `❌ ${r.asker} 在这个平台已经关联了另一个账号，不能替换。请用原来的账号和我私聊。`;
    case 'LINK_ACCOUNT_TAKEN': {
      const role = r.holderRole === 'removed' ? '已移出' : r.holderRole === 'member' ? '群成员' : ROLE_LABELS[r.holderRole];
      return `❌ 这个账号在「${r.shop}」已经是 ${r.holder}（${role}），不能再关联到 ${r.asker}。`;
    }
    case 'LINK_FAILED':
      return '❌ 关联没有成功，请重新发「关联码」再试。';
    case 'PERSON_NOT_FOUND':
      return `❌ 没找到 @${r.target}。请让 TA 先在已绑定的群里说一句话，再授权。`;
    case 'LAST_OWNER':
      return '❌ 不能移除或降级最后一位老板。请先授权另一位老板。';
    case 'SKU_TAKEN':
      return `❌ 编码 ${r.sku} 已经属于 ${r.owner}。`;
  }
}

/** The refusal for a role that lacks a capability, naming the least role that has it. */
export function permissionRefusal(role: Role, capability: Capability): string {
  return refusalText({ code: 'PERMISSION', role, needed: neededRole(capability) });
}

/** What every chat says when something failed unexpectedly (the gateway and the adapters' last resort). */
export const INTERNAL_ERROR_TEXT = refusalText({ code: 'INTERNAL_ERROR' });

/** What strangers in an unbound chat are told, once per command they try. */
export const UNBOUND_TEXT = refusalText({ code: 'UNBOUND' });

/** What a person removed from the shop is told when they try a command. */
export const REMOVED_TEXT = refusalText({ code: 'REMOVED' });
