/**
 * Schema version 3: each stage's named counters (malformed lines skipped, invalid UTF-8 replaced,
 * PII found...) as a JSON object, so that run detail shows them next to the funnel.
 * Never edit an applied migration; add a new numbered file instead.
 */
export const name = 'stage-counters';

export const sql = `
ALTER TABLE run_stages ADD COLUMN counters_json TEXT;
`;
