/** What the bot says about pictures. */

/** After `设置 日报 图片`. */
export const DIGEST_PICTURE_ON = '✅ 日报形式：图片。每天的日报会发一张图（销售图表、缺货和积压表），文字版跟在图后面。';

/** After `设置 日报 文字`. */
export const DIGEST_PICTURE_OFF = '✅ 日报形式：文字。';

/** Added to the text when the picture could not be drawn or the chat cannot show pictures. */
export const PICTURE_UNAVAILABLE = '（图片没能生成，先发文字版。）';

/** After a report that has no picture (`畅销 图`). */
export const PICTURE_KINDS = '（图片版目前有：日报 图、销量 本月 图、利润 本月 图）';
