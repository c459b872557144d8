/** The chat lines of the reliability suite: message n is always the same line, so a redelivery is exact. */
export function messageText(n: number): string {
  // A small deterministic mix: purchases of three items, sales of two, undos of the latest and of older entries.
  const r = (n * 2_654_435_761) % 97;
  if (r < 40) return `进货 甲 ${1 + (n % 4)} 件 单价 ${10 + (n % 5)}，乙 2 件 单价 ${12 + (n % 3)}，丙 1 件 单价 15`;
  if (r < 75) return `出货 甲 ${1 + (n % 3)} 件 单价 20，乙 1 件 单价 22`;
  if (r < 85) return '撤销';
  if (r < 92) return `撤销 #${1 + ((n * 7919) % Math.max(1, n))}`;
  return `盘点 丙 ${n % 6}`;
}

/** How many entries message n writes when it is applied: a purchase writes three, a sale two. */
export function entriesOf(text: string): number | undefined {
  if (text.startsWith('进货')) return 3;
  if (text.startsWith('出货')) return 2;
  return undefined;
}
