/**
 * Native dialogs for the shell features of `window.curatorShell` (open a file or folder, save and
 * open text files) and the close-while-running prompt. Arguments from the renderer are checked
 * here; files are read and written by the main process, never by the page.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import { z } from 'zod';
import { CuratorApiError } from '../runner/service/errors.js';
import type { LeaveChoice } from './lifecycle.js';

/** Largest text file `openText` reads (pipeline files are a few kilobytes). */
const MAX_TEXT_BYTES = 20 * 1024 * 1024;

const Filters = z.array(z.object({ name: z.string().max(200), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9_.-]{1,20})$/)).max(50) }).strict()).max(20).optional();
const PickArgs = z.object({ kind: z.enum(['file', 'folder']), title: z.string().max(200).optional(), defaultPath: z.string().max(4096).optional(), filters: Filters }).strict();
const SaveArgs = z.object({ suggestedName: z.string().min(1).max(255), text: z.string().max(MAX_TEXT_BYTES), filters: Filters }).strict();
const OpenArgs = z.object({ filters: Filters }).strict().optional();

function parse<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new CuratorApiError('invalid_argument', `${what}: invalid arguments`, r.error.issues.map((i) => `${what}: ${i.path.join('.') || 'arguments'}: ${i.message}`));
}

function filtersOf(filters: FileFilter[] | undefined): FileFilter[] | undefined {
  return filters?.length ? filters : undefined;
}

/** The open dialog for a file or a folder; null when cancelled. */
export async function pickPath(win: BrowserWindow | null, raw: unknown): Promise<string | null> {
  const a = parse(PickArgs, raw, 'pickPath');
  const options: Electron.OpenDialogOptions = {
    title: a.title ?? (a.kind === 'folder' ? 'Choose a folder' : 'Choose a file'),
    properties: a.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
    ...(a.defaultPath ? { defaultPath: a.defaultPath } : {}),
    ...(filtersOf(a.filters) ? { filters: filtersOf(a.filters) } : {}),
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** The save dialog, then the text written to the chosen file; answers the path, or null when cancelled. */
export async function saveText(win: BrowserWindow | null, raw: unknown): Promise<string | null> {
  const a = parse(SaveArgs, raw, 'saveText');
  const options: Electron.SaveDialogOptions = { defaultPath: path.basename(a.suggestedName), ...(filtersOf(a.filters) ? { filters: filtersOf(a.filters) } : {}) };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  await writeFile(r.filePath, a.text, 'utf8');
  return r.filePath;
}

/** The open dialog, then the chosen text file's contents; null when cancelled. */
export async function openText(win: BrowserWindow | null, raw: unknown): Promise<{ name: string; path: string; text: string } | null> {
  const a = parse(OpenArgs, raw, 'openText');
  const options: Electron.OpenDialogOptions = { properties: ['openFile'], ...(filtersOf(a?.filters) ? { filters: filtersOf(a?.filters) } : {}) };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const file = r.canceled ? undefined : r.filePaths[0];
  if (!file) return null;
  const info = await stat(file);
  if (info.size > MAX_TEXT_BYTES) throw new CuratorApiError('invalid_argument', `${file} is ${Math.round(info.size / 1048576)} MiB; a pipeline file is at most 20 MiB`);
  return { name: path.basename(file), path: file, text: await readFile(file, 'utf8') };
}

/** Asks what to do when the window closes with runs going. */
export async function askLeave(win: BrowserWindow | null, count: number): Promise<LeaveChoice> {
  const runs = count === 1 ? 'A run is' : `${count} runs are`;
  const options: Electron.MessageBoxOptions = {
    type: 'question',
    title: 'Curator Desktop',
    message: `${runs} still going.`,
    detail: 'Keep running in the background to let them finish (Curator Desktop stays in the tray), or cancel them and quit.',
    buttons: ['Keep running in background', 'Cancel runs and quit', 'Go back'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
  const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return r.response === 0 ? 'background' : r.response === 1 ? 'quit' : 'stay';
}
