// Cuts the font the digest pictures are drawn with: Noto Sans SC Regular (from the devDependency
// @expo-google-fonts/noto-sans-sc) subset to GB2312 (6,763 汉字 and its symbols) plus printable ASCII
// and the few other signs the pictures use. Servers rarely have a Chinese font, and the pictures never
// depend on system fonts, so the subset is committed as assets/fonts/NotoSansSC-subset.ttf (with
// OFL.txt beside it) and shipped in the npm package. Run `node scripts/make-font.js` after changing
// the character set; the output is deterministic for a given source font.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const subsetFont = require('subset-font');
const source = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const target = join(root, 'assets', 'fonts', 'NotoSansSC-subset.ttf');
const licence = require.resolve('@expo-google-fonts/noto-sans-sc/LICENSE_FONT');

/** Every character of GB2312: rows 0xA1–0xF7 by columns 0xA1–0xFE, decoded as GBK (its superset). */
function gb2312() {
  const decoder = new TextDecoder('gbk', { fatal: true });
  let chars = '';
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      try {
        const ch = decoder.decode(Uint8Array.of(hi, lo));
        if (ch !== '\uFFFD') chars += ch;
      } catch {
        // An unassigned code point of the table.
      }
    }
  }
  return chars;
}

let ascii = '';
for (let c = 0x20; c < 0x7f; c++) ascii += String.fromCharCode(c);
// Full-width forms and signs the pictures draw (￥ ⋯ ≥ · — ↑ ↓ ▲ ▼ and the full-width digits).
let fullWidth = '';
for (let c = 0xff01; c <= 0xff5e; c++) fullWidth += String.fromCharCode(c);
const extra = '￥¥·—–…⋯≥≤→←↑↓▲▼●○■□％';
const text = [...new Set(gb2312() + ascii + fullWidth + extra)].join('');

const font = await subsetFont(readFileSync(source), text, { targetFormat: 'sfnt' });
writeFileSync(target, font);
// The subset is a Modified Version under the OFL: the licence travels with it.
copyFileSync(licence, join(root, 'assets', 'fonts', 'OFL.txt'));
console.log(`${target}: ${[...text].length} characters, ${(font.length / 1e6).toFixed(2)} MB`);
