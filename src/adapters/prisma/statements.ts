import type Database from 'better-sqlite3';

/**
 * A store's prepared statements by name, each prepared when first used. A store holds dozens and a
 * command uses a few: preparing them all up front cost every `jxc` start-up several milliseconds.
 * Give each statement as a function that prepares it.
 */
export function lazyStatements<T extends Record<string, () => Database.Statement>>(prepare: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const statements = {};
  for (const [name, make] of Object.entries(prepare)) {
    Object.defineProperty(statements, name, {
      configurable: true,
      get() {
        const statement = make();
        Object.defineProperty(statements, name, { value: statement });
        return statement;
      },
    });
  }
  return statements as { readonly [K in keyof T]: ReturnType<T[K]> };
}
