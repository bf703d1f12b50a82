/** The output rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { ObjectRenderedOnce } from './ObjectRenderedOnce.js';
import { ForeignFilesKept } from './ForeignFilesKept.js';
import { RemovedClusterFolders } from './RemovedClusterFolders.js';
import { HandWrittenManifestsApplied } from './HandWrittenManifestsApplied.js';
import { EditedFilesKept } from './EditedFilesKept.js';

export const OUTPUT_RULES: readonly Rule[] = [ObjectRenderedOnce, ForeignFilesKept, RemovedClusterFolders, HandWrittenManifestsApplied, EditedFilesKept];
