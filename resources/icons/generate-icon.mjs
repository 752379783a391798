// Draws the app icon, resources/icons/icon.png (512×512 RGBA): a funnel on a rounded indigo-to-teal
// square, documents going in at the top and one kept document coming out below. Pure Node (zlib);
// electron-builder turns the PNG into the macOS and Windows icon formats.
// Run: node resources/icons/generate-icon.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { Buffer } from 'node:buffer';

const SIZE = 512;
const SUB = 4; // 4×4 samples per pixel for smooth edges

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const TOP = [59, 91, 219]; // indigo
const BOTTOM = [12, 166, 120]; // teal
const WHITE = [255, 255, 255];
const MINT = [178, 242, 187];
const DOC = [219, 228, 255];

function inRoundedSquare(x, y) {
  const m = 16, r = 104;
  if (x < m || y < m || x > SIZE - m || y > SIZE - m) return false;
  const cx = Math.min(Math.max(x, m + r), SIZE - m - r);
  const cy = Math.min(Math.max(y, m + r), SIZE - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inFunnel(x, y) {
  // The bowl: a trapezoid from 340 wide at y=170 to 72 wide at y=318; then the stem to y=384.
  if (y >= 170 && y <= 318) {
    const t = (y - 170) / 148;
    const half = 170 + (36 - 170) * t;
    return Math.abs(x - 256) <= half;
  }
  if (y > 318 && y <= 384) return Math.abs(x - 256) <= 36;
  // The rim.
  return y >= 150 && y < 170 && Math.abs(x - 256) <= 186;
}

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** The colour at a sample point, or null outside the icon. */
function sample(x, y) {
  if (!inRoundedSquare(x, y)) return null;
  if (inCircle(x, y, 256, 432, 26)) return MINT; // the kept document
  if (inFunnel(x, y)) return WHITE;
  for (const [cx, cy] of [[176, 104], [256, 92], [336, 104]]) if (inCircle(x, y, cx, cy, 24)) return DOC;
  return mix(TOP, BOTTOM, (x + y) / (2 * SIZE));
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let py = 0; py < SIZE; py++) {
  const row = py * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SUB; sy++) {
      for (let sx = 0; sx < SUB; sx++) {
        const c = sample(px + (sx + 0.5) / SUB, py + (sy + 0.5) / SUB);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a += 1;
      }
    }
    const o = row + 1 + px * 4;
    if (a) {
      raw[o] = Math.round(r / a);
      raw[o + 1] = Math.round(g / a);
      raw[o + 2] = Math.round(b / a);
    }
    raw[o + 3] = Math.round((255 * a) / (SUB * SUB));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
