/** The command line's help text. */
export const USAGE = `jxc — 进销存机器人 / inventory chat-bot

用法 / usage:
  jxc start                         启动机器人（未配置聊天平台时进入控制台聊天）
                                    同时在 HOST:PORT 提供网页版（JXC_WEB=off 关闭）；在私聊里发「网页」获取登录链接
  jxc chat [--shop 店名] [--create] [--user 名字] [--role owner|staff|viewer] [--paragraph] [--quiet]
                                    在终端里聊天记账；也可以用管道输入，每行一条消息
                                    --create 开新店（已有店铺时，不认识的店名会被拒绝并列出现有店铺）
                                    --user 默认「控制台」；--role 只给第一次进入的人设身份，改身份请老板在聊天里「授权 @某人 店员」
                                    --paragraph 空一行才算一条消息（多行粘贴是一条）；--quiet 不显示欢迎语、提示符和警告
                                    日志（JSON）写到标准错误，聊天默认只记警告和错误；LOG_LEVEL=info 看全部
  jxc export stock   --format json|csv|xlsx [--shop 店名] [--out 文件]
  jxc export entries --format json|csv|xlsx [--from 日期] [--to 日期] [--shop 店名] [--out 文件]
                                    导出到标准输出或文件（日期如 2026-11-01、本月、上周）
  jxc export profit  --format json|csv|xlsx [--from 日期] [--to 日期] [--shop 店名]
                                    按商品、按渠道的销售额、销售成本、毛利和毛利率
  jxc export payables --format json|csv|xlsx [--from 日期] [--to 日期] [--shop 店名] [--out 文件]
                                    应付代发供应商：按供应商、商品的代发进价合计（退货、撤销已扣除）
  jxc export stock|entries|profit --format xlsx --out 文件.xlsx
                                    写入文件（xlsx：中文表头、冻结首行、金额和日期格式）
                                    有多个店铺时 export、digest 必须用 --shop 指定店铺
  jxc import stock   文件.xlsx|文件.csv [--shop 店名] [--dry-run] [--skip-bad] [--date 日期]
                                    导入期初库存：商品、编码、单位、数量、成本、售价、预警、积压、仓库
                                    （表头中英文都认，顺序不限；新店名会自动建店；重复导入不会重复记账）
  jxc import entries 文件.xlsx|文件.csv [--shop 店名] [--dry-run] [--skip-bad]
                                    导入进货/出货/退货流水（从别的系统搬历史）
                                    有问题的行逐行列出，除非加 --skip-bad，否则什么都不写入
  jxc import orders  订单导出.csv|.xlsx [--shop 店名] [--platform 淘宝] [--dry-run]
                                    把平台后台导出的订单记成销售（渠道=平台）：淘宝/天猫（千牛）、拼多多、抖店、京东、微店、快手、小红书
                                    按表头认平台；按商家编码、再按标题（商品名或别名）对商品，对不上的列出来不记；
                                    交易关闭、已取消、未付款的不记；退款成功的记销售再记退货；
                                    金额记店铺实收：淘宝 买家实付金额、拼多多 商家实收金额、抖店 订单应付金额、京东 结算金额按行分摊；
                                    日期用付款时间（没有时用下单时间）；同一订单行只记一次，重复导入不会重复记账
  jxc digest [--shop 店名] [--date 2026-11-27] [--audience owner|staff] [--image 日报.png]
                                    在终端打印日报（默认老板版；不算当天的定时日报）
                                    --image 同时把日报图片（图表、缺货/积压表）写成 PNG
  jxc backup 文件名.db                一致的在线备份（机器人运行时也可以），文件权限 600
  jxc help                          显示本帮助
`;
