/** The command line's help text. */
export const USAGE = `jxc — 进销存机器人 / inventory chat-bot

用法 / usage:
  jxc start                         启动机器人（未配置聊天平台时进入控制台聊天）
  jxc chat [--shop 店名] [--user 名字] [--role owner|staff|viewer]
                                    在终端里聊天记账；也可以用管道输入多行
  jxc export stock   --format json|csv [--shop 店名]
  jxc export entries --format json|csv [--from 日期] [--to 日期] [--shop 店名]
                                    导出到标准输出（日期如 2026-11-01、本月、上周）
  jxc backup 文件名.db                一致的在线备份（机器人运行时也可以），文件权限 600
  jxc help                          显示本帮助
`;
