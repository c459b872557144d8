import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStores } from '../../src/adapters/prisma/sqlite-stores.ts';
import { migratedDatabaseFile } from '../helpers/db.ts';
import { storeContract } from './store-contract.ts';

// The store contract on one SQLite file (a copy of the migrated template), as the bot opens it.
storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-contract-'));
  const stores = openSqliteStores(migratedDatabaseFile(dir));
  return {
    stores,
    async cleanup() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
