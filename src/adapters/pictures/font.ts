import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../../package-files.ts';

/**
 * The one font pictures are drawn with: a GB2312 subset of Noto Sans SC (scripts/make-font.js, OFL,
 * assets/fonts/OFL.txt), shipped with the package. Servers rarely have a Chinese font, so no system
 * font is ever looked at.
 */

/** The family name inside the font file; every text of a picture names it. */
export const FONT_FAMILY = 'Noto Sans SC';

const FONT_FILE = join('assets', 'fonts', 'NotoSansSC-subset.ttf');

let found: string | undefined;

/**
 * Where the font is: the nearest `assets/fonts` above this module. That is the package root from
 * src/adapters/pictures (tests), dist/adapters/pictures (tsc output) and dist/bundle (the esbuild
 * bundle), in a clone and in node_modules alike.
 */
export function fontPath(): string {
  if (found !== undefined) return found;
  found = packagePath(dirname(fileURLToPath(import.meta.url)), FONT_FILE);
  if (found === undefined) throw new Error(`the picture font ${FONT_FILE} is missing from the package (run node scripts/make-font.js)`);
  return found;
}
