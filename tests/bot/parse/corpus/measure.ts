import { loadCorpus, readLine } from './corpus.ts';

/** Prints how much of the corpus is understood, and with `-v` every line that is not. */
const cases = loadCorpus();
let right = 0;
for (const c of cases) {
  const got = readLine(c.text);
  if (got === c.expected) right++;
  else if (process.argv.includes('-v')) console.log(`${c.file}:${c.line}  ${JSON.stringify(c.text)}\n   want ${c.expected}\n   got  ${got}`);
}
console.log(`corpus: ${cases.length} lines, understood ${right} (${((right / cases.length) * 100).toFixed(1)}%)`);
