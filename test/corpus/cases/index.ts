/** Every area of the corpus. */
import type { CorpusArea } from '../case.js';
import { FOUNDATION } from './foundation.js';
import { HYGIENE } from './hygiene.js';

export const CORPUS: readonly CorpusArea[] = [FOUNDATION, HYGIENE];
