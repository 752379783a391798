import { z } from 'zod';

/** `removed_path`: the shared parameter of filtering and dedup stages. Resolve it against the pipeline file in `create`. */
export const removedPathParam = z
  .string()
  .min(1)
  .optional()
  .describe('A folder to write every removed document to (JSON lines, one file per input batch), each with a "_curator_removed" field giving the stage, the reason and its scores. Leave out to keep only the counts and a sample in the run summary.');
