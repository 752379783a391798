// Numbers as people read them: durations, counts, bytes, rates and times.

/** "0.4 s", "12 s", "3 min 05 s", "2 h 07 min"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

const countFormat = new Intl.NumberFormat('en-US');

/** "1,234,567"; "—" when unknown. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return countFormat.format(n);
}

/** "512 B", "1.5 KiB", "2.0 GiB"; "—" when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** Documents per second: "12.3/s", "1,204/s"; "—" when unknown. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  return perSecond >= 100 ? `${countFormat.format(Math.round(perSecond))}/s` : `${perSecond.toFixed(1)}/s`;
}

/** A percentage with no decimals: "42%"; "—" when unknown. */
export function formatPercent(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  return `${Math.round(pct)}%`;
}

/** A timestamp (ISO text or epoch milliseconds) in the user's locale; "—" when unknown. */
export function formatTime(when: string | number | null | undefined): string {
  if (when === null || when === undefined) return '—';
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A JSON value as short text for a table cell, cut to `max` characters. */
export function formatValue(value: unknown, max = 120): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
