import { describe, expect, it } from 'vitest';
import { refuseSender, senderUrl, type FrameLike, type SenderEventLike } from '../../../electron/sender.js';

const WINDOW = 7;

function top(url: string, origin: string): FrameLike {
  const f: { url: string; origin: string; parent: FrameLike | null; top: FrameLike | null } = { url, origin, parent: null, top: null };
  f.top = f;
  return f;
}
function child(parent: FrameLike, url: string, origin: string): FrameLike {
  return { url, origin, parent, top: parent };
}
const event = (frame: FrameLike | null, id = WINDOW): SenderEventLike => ({ senderFrame: frame, sender: { id } });

describe('IPC sender check', () => {
  const app = top('app://curator/index.html#/history', 'app://curator');

  it("accepts the app window's top frame", () => {
    expect(refuseSender(event(app), WINDOW)).toBeNull();
  });

  it('refuses a subframe, even of the app’s own origin', () => {
    expect(refuseSender(event(child(app, 'app://curator/index.html', 'app://curator')), WINDOW)).toMatch(/top frame/);
    expect(refuseSender(event(child(app, 'https://example.com/', 'https://example.com')), WINDOW)).toMatch(/top frame/);
  });

  it('refuses another origin in the top frame', () => {
    for (const [url, origin] of [
      ['https://example.com/', 'https://example.com'],
      ['file:///tmp/x.html', 'file://'],
      ['app://other/index.html', 'app://other'],
      ['http://127.0.0.1:5173/', 'http://127.0.0.1:5173'],
      ['about:blank', 'null'],
    ] as const) {
      expect(refuseSender(event(top(url, origin)), WINDOW), url).toMatch(/may not call/);
    }
    // An origin that claims to be the app while the frame shows something else.
    expect(refuseSender(event(top('https://example.com/', 'app://curator')), WINDOW)).toMatch(/may not call/);
  });

  it('refuses a gone frame, another web contents, and calls before the window exists', () => {
    expect(refuseSender(event(null), WINDOW)).toMatch(/gone/);
    expect(refuseSender(event(app, 99), WINDOW)).toMatch(/window/);
    expect(refuseSender(event(app), null)).toMatch(/window/);
  });

  it('reads a frame whose getters throw (disposed) as gone, for the check and the log line', () => {
    const disposed = (): never => {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    };
    const frame = Object.defineProperties({}, { url: { get: disposed }, origin: { get: disposed }, parent: { get: disposed }, top: { get: disposed } }) as FrameLike;
    expect(refuseSender(event(frame), WINDOW)).toMatch(/gone/);
    expect(senderUrl(event(frame))).toBe('a closed frame');
    expect(senderUrl(event(app))).toBe('app://curator/index.html#/history');
  });
});
