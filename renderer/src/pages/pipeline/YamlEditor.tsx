/**
 * The CodeMirror 6 YAML editor (loaded lazily: it is the largest part of the bundle). The text is
 * controlled: edits are reported on every change, and a new `value` from the form replaces the
 * document unless it is already what the editor holds. A syntax error shows as a line diagnostic.
 */
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { styleNonce } from '../../app/nonce';
import type { YamlSyntaxError } from '../../pipeline/yaml-sync';

export interface YamlEditorProps {
  value: string;
  onChange: (text: string) => void;
  error: YamlSyntaxError | null;
  label: string;
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)', backgroundColor: 'var(--mantine-color-body)', color: 'var(--mantine-color-text)' },
  '.cm-content': { fontFamily: 'var(--mantine-font-family-monospace)', caretColor: 'var(--mantine-color-text)' },
  '.cm-gutters': { backgroundColor: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-dimmed)', borderRight: '1px solid var(--mantine-color-default-border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--mantine-primary-color-filled) 8%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--mantine-primary-color-filled)' },
  '.cm-scroller': { minHeight: '360px' },
});

export default function YamlEditor({ value, onChange, error, label }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      doc: value,
      parent: host.current,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        theme,
        ...(styleNonce ? [EditorView.cspNonce.of(styleNonce)] : []),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChangeRef.current(u.state.doc.toString());
        }),
      ],
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur !== value) v.dispatch({ changes: { from: 0, to: cur.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const diagnostics = error ? [{ from: Math.min(error.from, len), to: Math.min(Math.max(error.to, error.from + 1), len), severity: 'error' as const, message: `Line ${error.line}: ${error.message}` }] : [];
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [error, value]);

  return <div ref={host} data-testid="yaml-editor" />;
}
