import { refusalText } from '../refusals.ts';
import type { IssuedWebLink } from '../web/web.port.ts';
import type { Handler } from './handler.ts';

/** 网页: a one-time sign-in link, in private chats only; the view follows whether this chat shows cost. */
export const webHandler: Handler<'web'> = async (_command, { message, shop, seeCost, now, reply, bot }) => {
  if (message.chatType !== 'private') return reply(refusalText({ code: 'WEB_PRIVATE_ONLY' }));
  const link = await bot.web.issue(
    { shopId: shop.id, actorId: `${message.platform}:${message.userId}`, actorName: message.userName, view: seeCost ? 'owner' : 'staff' },
    now,
  );
  if (!link) return reply(refusalText({ code: 'WEB_OFF' }));
  return reply(webLinkText(link, seeCost));
};

/** The link, how long it lasts, what it shows and the warning not to pass it on. */
export function webLinkText(link: IssuedWebLink, seeCost: boolean): string {
  return [
    `🌐 网页登录链接（${link.minutes} 分钟内有效，只能用一次）：`,
    link.url,
    `打开后点「确认登录」。${seeCost ? '网页里能看到成本、库存金额和利润，可以下载 xlsx。' : '这是店员视图：不显示成本、库存金额和利润。'}`,
    '⚠️ 不要转发：拿到链接的人能以你的身份看账。',
  ].join('\n');
}
