import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCuratorHome, historyDbPath } from '../../../../runner/history/store.js';

describe('defaultCuratorHome', () => {
  it('uses CURATOR_HOME when set, on every platform', () => {
    expect(defaultCuratorHome({ CURATOR_HOME: '/tmp/curator-x', HOME: '/home/u' }, 'linux')).toBe('/tmp/curator-x');
    expect(defaultCuratorHome({ CURATOR_HOME: 'D:\\curator' }, 'win32')).toBe('D:\\curator');
  });

  it('matches Electron\u2019s userData for "Curator Desktop" on Linux', () => {
    expect(defaultCuratorHome({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/Curator Desktop');
    expect(defaultCuratorHome({ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Curator Desktop');
    expect(defaultCuratorHome({ HOME: '/home/u', XDG_CONFIG_HOME: 'relative' }, 'linux')).toBe('/home/u/.config/Curator Desktop');
  });

  it('matches Electron\u2019s userData on macOS and Windows', () => {
    expect(defaultCuratorHome({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/Curator Desktop');
    expect(defaultCuratorHome({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Roaming\\Curator Desktop');
    expect(defaultCuratorHome({ USERPROFILE: 'C:\\Users\\u' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Roaming\\Curator Desktop');
  });

  it('falls back to the OS home folder', () => {
    expect(defaultCuratorHome({}, 'linux')).toBe(path.posix.join(os.homedir(), '.config', 'Curator Desktop'));
  });

  it('keeps the database in the home folder', () => {
    expect(historyDbPath('/data/curator')).toBe(path.join('/data/curator', 'history.db'));
  });
});
