/**
 * The builder's editing state over the stored draft: the YAML text, what it parses to, the last
 * valid pipeline (the form keeps showing it while the YAML has a syntax error), and edits that
 * go through the Document API.
 */
import { useCallback, useMemo, useRef } from 'react';
import { readDraft, useStoredDraft, writeDraft, type PipelineDraft } from './draft-store';
import { editPipelineText, EMPTY_PIPELINE, parsePipelineText, type DocumentEdit, type PipelineData, type YamlSyntaxError } from './yaml-sync';

export interface PipelineEditor {
  draft: PipelineDraft;
  text: string;
  /** The pipeline the form shows: the current one, or the last valid one while the YAML is broken. */
  data: PipelineData;
  syntaxError: YamlSyntaxError | null;
  /** Replaces the text (the YAML editor, opening a file). */
  setText: (text: string) => void;
  /** Applies Document edits to the current text; ignored while the text has a syntax error. */
  edit: (...edits: DocumentEdit[]) => void;
  /** Replaces the whole draft. */
  replace: (draft: PipelineDraft) => void;
}

const EMPTY_DATA: PipelineData = { name: '', description: null, stages: [], backend: 'xenna', config: {} };

export function usePipelineEditor(): PipelineEditor {
  const stored = useStoredDraft();
  const draft = useMemo<PipelineDraft>(() => stored ?? { text: EMPTY_PIPELINE }, [stored]);
  const parsed = useMemo(() => parsePipelineText(draft.text), [draft.text]);
  const lastValid = useRef<PipelineData>(EMPTY_DATA);
  if (parsed.ok) lastValid.current = parsed.data;

  const setText = useCallback((text: string) => {
    const cur = readDraft() ?? { text: EMPTY_PIPELINE };
    if (cur.text !== text) writeDraft({ ...cur, text });
  }, []);

  const edit = useCallback((...edits: DocumentEdit[]) => {
    const cur = readDraft() ?? { text: EMPTY_PIPELINE };
    if (!parsePipelineText(cur.text).ok) return;
    writeDraft({ ...cur, text: editPipelineText(cur.text, ...edits) });
  }, []);

  return {
    draft,
    text: draft.text,
    data: parsed.ok ? parsed.data : lastValid.current,
    syntaxError: parsed.ok ? null : parsed.error,
    setText,
    edit,
    replace: writeDraft,
  };
}
