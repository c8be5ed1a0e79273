/** Loads (or, on a new database, makes) the secret of the rounding keys, before any figure is released. */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/index.js';
import { setDisclosureSecret } from './release.js';

export async function loadDisclosureSecret(db: Database): Promise<void> {
  await db
    .insertInto('disclosure_secret')
    .values({ id: 1, secret: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('disclosure_secret').select('secret').where('id', '=', 1).executeTakeFirstOrThrow();
  setDisclosureSecret(row.secret);
}
