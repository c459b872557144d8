import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The nearest `relative` path at or above `from` (the calling module's folder), or undefined. How
 * the package finds the files it ships (migrations, the picture font) from wherever its code runs:
 * src/… in a clone, dist/… compiled, dist/bundle bundled, in node_modules alike.
 */
export function packagePath(from: string, relative: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
