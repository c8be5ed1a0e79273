/**
 * Command-line commands (`npm run tonle -- <command>`):
 *   migrate                    apply pending migrations and the built-in provinces
 *   import-geography FILE.csv  import districts and communes (see reference/geography-sample-phnom-penh.csv)
 *   verify-audit               verify the audit trail's hash chain; exit 1 and name the first broken row if any
 *   rebuild-aggregates         recompute every maintained aggregate from the base tables
 *   verify-aggregates          compare the maintained aggregates with the base tables; exit 1 and the first difference
 */
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { loadConfig } from './config.js';
import { migrate, openDatabase } from './db/index.js';
import { formatProblem } from '../core/geography-import.js';
import { GeographyService, GeoImportError } from './geography/service.js';
import { verifyAuditChain } from './audit/service.js';
import { rebuildAggregates, verifyAggregates } from './aggregates/registry.js';
import { AGGREGATE_MAINTAINERS } from './aggregates/all.js';

const [command, ...args] = process.argv.slice(2);
const config = loadConfig();
if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
const { db, close } = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
let code = 0;
try {
  await migrate(db);
  const geo = new GeographyService(db);
  await geo.seedProvinces();
  switch (command) {
    case 'migrate':
      console.log('database is up to date');
      break;
    case 'import-geography': {
      if (!args[0]) throw new Error('usage: import-geography FILE.csv');
      const text = readFileSync(args[0], 'utf8');
      let last = -1;
      try {
        const r = await geo.importCsv(text, { accountId: null, organisationId: null, ip: 'cli' }, (done, total) => {
          const pct = Math.floor((done / total) * 100);
          if (pct !== last) process.stderr.write(`\rimporting ${done}/${total} (${pct}%)`);
          last = pct;
        });
        if (last >= 0) process.stderr.write('\n');
        console.log(`imported: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged (${r.districts} districts, ${r.communes} communes in the file)`);
      } catch (e) {
        if (!(e instanceof GeoImportError)) throw e;
        console.error(`nothing was imported; ${e.problems.length} problem(s):`);
        for (const p of e.problems) console.error(`  ${formatProblem(p)}`);
        code = 1;
      }
      break;
    }
    case 'verify-audit': {
      const r = await verifyAuditChain(db);
      if (r.ok) console.log(`audit trail verified: ${r.checked} entries, chain intact`);
      else {
        console.error(`audit trail BROKEN at entry ${r.firstBroken!.seq}: ${r.firstBroken!.reason} (${r.checked} entries verified before it)`);
        code = 1;
      }
      break;
    }
    case 'rebuild-aggregates': {
      const started = Date.now();
      await rebuildAggregates(db, AGGREGATE_MAINTAINERS, (name, i, total) => process.stderr.write(`rebuilding ${name} (${i + 1}/${total})\n`));
      console.log(`aggregates rebuilt from the base tables in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      break;
    }
    case 'verify-aggregates': {
      const r = await verifyAggregates(db, AGGREGATE_MAINTAINERS);
      if (r.ok) console.log(`aggregates verified: ${r.checked} summary rows agree with the base tables`);
      else {
        console.error(`aggregates DIFFER (${r.pillar}): ${r.difference}`);
        code = 1;
      }
      break;
    }
    default:
      console.error('commands: migrate | import-geography FILE.csv | verify-audit | rebuild-aggregates | verify-aggregates');
      code = 2;
  }
} finally {
  await close();
}
process.exit(code);
