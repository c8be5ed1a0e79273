/** Every pillar's maintained aggregates, in the order `rebuild-aggregates` and `verify-aggregates` run them. */
import type { AggregateMaintainer } from './registry.js';
import { enforcementAggregates } from '../enforcement/aggregates.js';
import { educationAggregates } from '../education/aggregates.js';
import { harmReductionAggregates } from '../outreach/aggregates.js';
import { treatmentAggregates } from '../treatment/aggregates.js';

export const AGGREGATE_MAINTAINERS: readonly AggregateMaintainer[] = [enforcementAggregates, educationAggregates, harmReductionAggregates, treatmentAggregates];
