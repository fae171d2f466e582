#!/usr/bin/env node
// Draws media/icon.png (128×128 RGBA): fifteen factor tiles on a rounded dark-blue square,
// most green, one amber, one red. Plain zlib + PNG chunks, no image dependencies.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const W = 128, H = 128;
const px = Buffer.alloc(W * H * 4);
const put = (x, y, [r, g, b, a = 255]) => { const i = (y * W + x) * 4; px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = a; };
const inRounded = (x, y, x0, y0, x1, y1, rad) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + rad), x1 - rad), cy = Math.min(Math.max(y, y0 + rad), y1 - rad);
  return (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad;
};
const BG = [30, 58, 95], GREEN = [76, 175, 80], AMBER = [255, 179, 0], RED = [229, 57, 53];
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) put(x, y, inRounded(x, y, 4, 4, 123, 123, 22) ? BG : [0, 0, 0, 0]);
// 5 columns × 3 rows of tiles = the fifteen factors
const tile = 18, gap = 4, cols = 5, rows = 3;
const gx = Math.round((W - (cols * tile + (cols - 1) * gap)) / 2), gy = 30;
for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
  const n = r * cols + c;
  const color = n === 6 ? AMBER : n === 12 ? RED : GREEN;
  const x0 = gx + c * (tile + gap), y0 = gy + r * (tile + gap);
  for (let y = y0; y < y0 + tile; y++) for (let x = x0; x < x0 + tile; x++) if (inRounded(x, y, x0, y0, x0 + tile - 1, y0 + tile - 1, 4)) put(x, y, color);
}
// a white underline bar: "lint"
for (let y = 104; y < 110; y++) for (let x = 30; x < 98; x++) if (inRounded(x, y, 30, 104, 97, 109, 3)) put(x, y, [236, 239, 241]);

const raw = Buffer.alloc((W * 4 + 1) * H);
for (let y = 0; y < H; y++) { raw[y * (W * 4 + 1)] = 0; px.copy(raw, y * (W * 4 + 1) + 1, y * W * 4, (y + 1) * W * 4); }
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(H, 4); ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = path.join(__dirname, '..', '..', 'media', 'icon.png');
fs.writeFileSync(out, png);
process.stdout.write(`${out}: ${png.length} bytes\n`);
