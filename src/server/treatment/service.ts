/** Treatment pillar service (issue 5; docs/treatment-api.md). */
import type { Database } from '../db/index.js';

export class TreatmentService {
  constructor(readonly db: Database) {}
}
