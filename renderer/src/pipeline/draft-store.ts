/**
 * The builder's pipeline draft, kept in localStorage so that it survives navigation and reloads,
 * and shared with the Run page ("Current pipeline from the builder"). A tiny external store read
 * with `useSyncExternalStore`.
 */
import { useSyncExternalStore } from 'react';

/** The draft: YAML text, the folder its relative paths resolve against, and where it came from. */
export interface PipelineDraft {
  text: string;
  /** Absolute folder for relative paths (a template's or an opened file's); absent: the service's own. */
  base_dir?: string;
  /** File name it was opened from or saved as, for the next save. */
  file_name?: string;
}

const KEY = 'curator.builder-draft';
const listeners = new Set<() => void>();
let cached: { raw: string | null; draft: PipelineDraft | null } | null = null;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The stored draft, or null when there is none (or it cannot be read). */
export function readDraft(): PipelineDraft | null {
  const raw = storage()?.getItem(KEY) ?? null;
  if (cached && cached.raw === raw) return cached.draft;
  let draft: PipelineDraft | null = null;
  try {
    const v: unknown = raw ? JSON.parse(raw) : null;
    if (v && typeof v === 'object' && typeof (v as PipelineDraft).text === 'string') draft = v as PipelineDraft;
  } catch {
    draft = null;
  }
  cached = { raw, draft };
  return draft;
}

/** Replaces the stored draft (null clears it) and tells every reader. */
export function writeDraft(draft: PipelineDraft | null): void {
  const s = storage();
  try {
    if (draft) s?.setItem(KEY, JSON.stringify(draft));
    else s?.removeItem(KEY);
  } catch {
    // A full or disabled storage keeps the draft in memory only, until the page reloads.
  }
  cached = { raw: draft ? JSON.stringify(draft) : null, draft };
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent): void => {
    if (e.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The stored draft, re-rendering when it changes. */
export function useStoredDraft(): PipelineDraft | null {
  return useSyncExternalStore(subscribe, readDraft, () => null);
}
