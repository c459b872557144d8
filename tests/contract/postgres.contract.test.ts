import { openPostgresStores } from '../../src/adapters/postgres/pg-stores.ts';
import { createPgDatabase, describePg } from '../helpers/pg.ts';
import { storeContract } from './store-contract.ts';

// The store contract on a PostgreSQL database of this file's own, migrated as the bot migrates it on open.
describePg('PostgreSQL stores', () => {
  storeContract('PostgreSQL', async () => {
    const db = await createPgDatabase(import.meta.url);
    const stores = await openPostgresStores(db.url);
    return {
      stores,
      async cleanup() {
        await stores.close();
        await db.drop();
      },
    };
  });
});
