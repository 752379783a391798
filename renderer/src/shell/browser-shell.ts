/**
 * What a web page can do of the shell's work, for `curator serve` in a browser: no native dialogs
 * and no file paths (the user types a path, and the Run page checks it with `previewInput`), a
 * Blob download for saving, the browser's file chooser for opening, and new tabs for links.
 */
import type { FileFilter, ShellApi } from './types';

/** The `accept` attribute for a file chooser. */
function acceptOf(filters: FileFilter[] | undefined): string {
  return (filters ?? []).flatMap((f) => f.extensions.filter((e) => e !== '*').map((e) => `.${e.replace(/^\./, '')}`)).join(',');
}

/** Saves text as a download with the suggested name; answers that name. */
function saveText({ suggestedName, text }: { suggestedName: string; text: string }): Promise<string | null> {
  const type = /\.ya?ml$/i.test(suggestedName) ? 'application/yaml' : /\.json$/i.test(suggestedName) ? 'application/json' : 'text/plain';
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = suggestedName;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // The download has started by the time the click returns; free the URL shortly after.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return Promise.resolve(suggestedName);
}

/** Opens a text file through the browser's file chooser; null when the user cancels. */
function openText({ filters }: { filters?: FileFilter[] }): Promise<{ name: string; path: string | null; text: string } | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    const accept = acceptOf(filters);
    if (accept) input.accept = accept;
    input.hidden = true;
    const done = () => input.remove();
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      done();
      if (!file) return resolve(null);
      file.text().then((text) => resolve({ name: file.name, path: null, text }), reject);
    });
    input.addEventListener('cancel', () => {
      done();
      resolve(null);
    });
    document.body.appendChild(input);
    input.click();
  });
}

/** The shell of a plain browser tab. */
export function createBrowserShell(): ShellApi {
  return {
    kind: 'browser',
    pickPath: async () => null,
    pathForFile: () => null,
    saveText,
    openText,
    openExternal: async (url: string) => {
      if (!/^https?:\/\//i.test(url)) throw new Error(`only http and https links open in a new tab, not "${url}"`);
      window.open(url, '_blank', 'noopener');
    },
  };
}
