/** Every pillar's maintained aggregates, in the order `rebuild-aggregates` and `verify-aggregates` run them. */
import type { AggregateMaintainer } from './registry.js';

export const AGGREGATE_MAINTAINERS: readonly AggregateMaintainer[] = [];
