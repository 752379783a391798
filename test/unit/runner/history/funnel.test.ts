import { describe, expect, it } from 'vitest';
import { documentCounts } from '../../../../runner/history/funnel.js';
import { stageRow } from './helpers.js';

describe('documentCounts', () => {
  it('counts documents read by the reader and received by the writer', () => {
    const stages = [stageRow('file_partitioning', 0, 7), stageRow('jsonl_reader', 7, 210), stageRow('busy', 210, 180), stageRow('jsonl_writer', 180, 4)];
    expect(documentCounts(stages, ['FilePartitioningStage', 'JsonlReaderStage', 'BusyStage', 'JsonlWriter'])).toEqual({ docs_in: 210, docs_out: 180 });
  });

  it('handles a reader straight into a writer', () => {
    const stages = [stageRow('file_partitioning', 0, 3), stageRow('jsonl_reader', 3, 30), stageRow('jsonl_writer', 30, 3)];
    expect(documentCounts(stages, ['FilePartitioningStage', 'JsonlReaderStage', 'JsonlWriter'])).toEqual({ docs_in: 30, docs_out: 30 });
  });

  it('takes a first stage that starts from nothing (a generator) as the source', () => {
    expect(documentCounts([stageRow('synthetic_documents', 0, 100), stageRow('busy', 100, 90)], ['SyntheticDocuments', 'BusyStage'])).toEqual({ docs_in: 100, docs_out: 90 });
  });

  it('uses stage names when types are unknown, and plain counts otherwise', () => {
    expect(documentCounts([stageRow('file_partitioning', 0, 2), stageRow('jsonl_reader', 2, 20), stageRow('jsonl_writer', 20, 2)])).toEqual({ docs_in: 20, docs_out: 20 });
    expect(documentCounts([stageRow('a', 5, 4), stageRow('b', 4, 3)])).toEqual({ docs_in: 5, docs_out: 3 });
    expect(documentCounts([])).toEqual({ docs_in: null, docs_out: null });
  });
});
