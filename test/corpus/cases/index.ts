/** Every area of the corpus. */
import type { CorpusArea } from '../case.js';
import { BOOTSTRAP } from './bootstrap.js';
import { CILIUM } from './cilium.js';
import { DATABASE } from './database.js';
import { EDGE } from './edge.js';
import { FOUNDATION } from './foundation.js';
import { GATEWAY } from './gateway.js';
import { HYGIENE } from './hygiene.js';
import { INPUT } from './input.js';
import { L2 } from './l2.js';
import { NODE } from './node.js';

export const CORPUS: readonly CorpusArea[] = [FOUNDATION, INPUT, HYGIENE, CILIUM, L2, GATEWAY, DATABASE, EDGE, NODE, BOOTSTRAP];
