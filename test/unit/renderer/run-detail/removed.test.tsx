import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { InputPreview, RemovedDocuments, RemovedDocumentsRequest, RemovedSample, RunDetail } from '../../../../runner/service/contract';
import RunDetailPage from '../../../../renderer/src/pages/run-detail/RunDetailPage';
import { parseFileLine, viewOfSample } from '../../../../renderer/src/pages/run-detail/removed-sample';
import { renderWithProviders } from '../render';

// The shapes below are what the history recorded for a real run of the dedup template over the
// bundled sample and of the English heuristics: `_curator_removed` holds the stage, the reason and
// the stage's detail (a duplicate names the kept document as "file:line").
const reasons = [
  { stage: 'exact_duplicates_remove', reason: 'exact_duplicate', count: 49 },
  { stage: 'fuzzy_duplicates_remove', reason: 'fuzzy_duplicate', count: 23 },
  { stage: 'english_heuristics', reason: 'WordCountFilter', count: 7 },
];

function dupSample(n: number, keptLine: number): RemovedSample {
  return {
    stage: 'fuzzy_duplicates_remove',
    reason: 'fuzzy_duplicate',
    doc_id: `doc-00${n}`,
    document: {
      id: `doc-00${n}`,
      text: `Tomatoes need full sun and regular watering (copy ${n}).`,
      _curator_origin: `/data/sample/web-01.jsonl:${n}`,
      _curator_removed: { stage: 'fuzzy_duplicates_remove', reason: 'fuzzy_duplicate', duplicate_of: `/data/sample/web-00.jsonl:${keptLine}`, duplicate_of_id: `doc-00${keptLine}`, jaccard: 0.8125 },
    },
  };
}

const filterSample: RemovedSample = {
  stage: 'english_heuristics',
  reason: 'WordCountFilter',
  doc_id: 'doc-0005',
  document: { id: 'doc-0005', text: 'too short', _curator_removed: { stage: 'english_heuristics', reason: 'WordCountFilter', score: 2, filter: 'word_count' } },
};

function fakes() {
  const removedDocuments = vi.fn(async (a: RemovedDocumentsRequest): Promise<RemovedDocuments> => {
    const rs = reasons.filter((r) => (!a.stage || r.stage === a.stage) && (!a.reason || r.reason === a.reason));
    const all = a.reason === 'fuzzy_duplicate' ? [dupSample(21, 10), dupSample(11, 8)] : a.reason === 'WordCountFilter' ? [filterSample] : [];
    return { reasons: rs, total: rs.reduce((n, r) => n + r.count, 0), samples: all.slice(a.offset ?? 0, (a.offset ?? 0) + (a.limit ?? 50)) };
  });
  const previewInput = vi.fn(async (a: { path: string; offset?: number }): Promise<InputPreview> => ({
    path: a.path,
    files: [{ path: a.path, size: 100 }],
    truncated: true,
    documents: [{ id: `doc-00${(a.offset ?? 0) + 1}`, text: `The kept original at line ${(a.offset ?? 0) + 1}.`, url: 'https://example.com/g/1' }],
    fields: [],
    clipped: false,
    problems: [],
  }));
  const run = { run_id: 'r1', name: 'dedup', status: 'succeeded', backend: 'xenna', pipeline: {}, config: {}, hardware: null, error: null, stages: [], warnings: [], inputs: [], outputs: [], removals: reasons, log_count: 0, created_at: '2025-01-01T00:00:00Z', started_at: null, ended_at: null, duration_s: 2, docs_in: 138, docs_out: 40, execution_mode: null, source: 'cli', error_message: null } as RunDetail;
  return { removedDocuments, previewInput, getRun: vi.fn(async () => run), listRuns: vi.fn(async () => ({ total: 0, runs: [] })) };
}

describe('Run detail: removed documents', () => {
  it('reads a sample: its own fields, the detail, and for a duplicate the kept file and line', () => {
    const v = viewOfSample(dupSample(21, 10).document);
    expect(v.fields).toEqual({ id: 'doc-0021', text: 'Tomatoes need full sun and regular watering (copy 21).' });
    expect(v.detail).toEqual({ duplicate_of: '/data/sample/web-00.jsonl:10', duplicate_of_id: 'doc-0010', jaccard: 0.8125 });
    expect(v.keptAt).toEqual({ file: '/data/sample/web-00.jsonl', line: 10 });
    expect(parseFileLine('C:\\data\\a.jsonl:3')).toEqual({ file: 'C:\\data\\a.jsonl', line: 3 });
    expect(viewOfSample(filterSample.document).keptAt).toBeNull();
  });

  it('lists the reasons by stage with counts, shows a duplicate beside the kept document read at its line', async () => {
    const user = userEvent.setup();
    const client = fakes();
    renderWithProviders(<RunDetailPage />, { client, route: '/runs/r1?tab=removed', path: '/runs/:runId' });
    const table = await screen.findByRole('table', { name: 'Removal reasons' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['exact_duplicateexact_duplicates_remove49', 'fuzzy_duplicatefuzzy_duplicates_remove23', 'WordCountFilterenglish_heuristics7']);
    expect(screen.getByText('79 documents removed in all. Pick a reason to see examples.')).toBeTruthy();

    await user.click(within(table).getByRole('button', { name: 'fuzzy_duplicate' }));
    await screen.findByRole('region', { name: 'Removed document 1' });
    expect(client.removedDocuments).toHaveBeenLastCalledWith({ run_id: 'r1', stage: 'fuzzy_duplicates_remove', reason: 'fuzzy_duplicate', offset: 0, limit: 5 });
    const removed = screen.getByRole('region', { name: 'Removed document 1' });
    expect(removed.textContent).toContain('Tomatoes need full sun and regular watering (copy 21).');
    expect(removed.textContent).toContain('jaccard: 0.813');
    expect(removed.textContent).toContain('duplicate_of_id: doc-0010');

    const kept = await screen.findAllByRole('region', { name: 'Kept document' });
    expect(kept).toHaveLength(2);
    expect(client.previewInput).toHaveBeenCalledWith({ path: '/data/sample/web-00.jsonl', offset: 9, limit: 1, max_value_chars: 4000 });
    expect(client.previewInput).toHaveBeenCalledWith({ path: '/data/sample/web-00.jsonl', offset: 7, limit: 1, max_value_chars: 4000 });
    await waitFor(() => expect((kept[0] as HTMLElement).textContent).toContain('The kept original at line 10.'));
    expect((kept[0] as HTMLElement).textContent).toContain('/data/sample/web-00.jsonl, line 10');
  });

  it('shows a filtered document with its score and no kept document', async () => {
    const user = userEvent.setup();
    const client = fakes();
    renderWithProviders(<RunDetailPage />, { client, route: '/runs/r1?tab=removed', path: '/runs/:runId' });
    const table = await screen.findByRole('table', { name: 'Removal reasons' });
    await user.click(within(table).getByRole('button', { name: 'WordCountFilter' }));
    const card = await screen.findByRole('region', { name: 'Removed document 1' });
    expect(card.textContent).toContain('too short');
    expect(card.textContent).toContain('score: 2');
    expect(card.textContent).toContain('filter: word_count');
    expect(screen.queryByRole('region', { name: 'Kept document' })).toBeNull();
    expect(client.previewInput).not.toHaveBeenCalled();
  });
});
