import { deflateSync } from 'node:zlib';

/**
 * The ribbon and add-in icons, drawn as PNG at build time (no binary assets in the repository): a Fluent-blue
 * rounded square with a white glyph per command, anti-aliased by supersampling.
 */

type Glyph = (x: number, y: number) => boolean;

const BRAND = [15, 108, 189] as const;

const segment = (x: number, y: number, ax: number, ay: number, bx: number, by: number, width: number): boolean => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  const px = ax + t * dx - x;
  const py = ay + t * dy - y;
  return px * px + py * py <= (width / 2) ** 2;
};

const GLYPHS: Record<string, Glyph> = {
  // "L" for LEPS
  app: (x, y) => segment(x, y, 0.36, 0.25, 0.36, 0.72, 0.13) || segment(x, y, 0.36, 0.72, 0.68, 0.72, 0.13),
  new: (x, y) => segment(x, y, 0.5, 0.26, 0.5, 0.74, 0.12) || segment(x, y, 0.26, 0.5, 0.74, 0.5, 0.12),
  // A minus sign: rows taken away.
  'delete-rows': (x, y) => segment(x, y, 0.26, 0.5, 0.74, 0.5, 0.12),
  validate: (x, y) => segment(x, y, 0.26, 0.52, 0.43, 0.69, 0.12) || segment(x, y, 0.43, 0.69, 0.75, 0.33, 0.12),
  submit: (x, y) =>
    segment(x, y, 0.5, 0.27, 0.5, 0.74, 0.12) ||
    segment(x, y, 0.5, 0.27, 0.31, 0.46, 0.12) ||
    segment(x, y, 0.5, 0.27, 0.69, 0.46, 0.12),
  pane: (x, y) =>
    (x > 0.24 && x < 0.76 && y > 0.26 && y < 0.74 && !(x > 0.33 && x < 0.55 && y > 0.35 && y < 0.65)) || false,
};

function insideRoundedSquare(x: number, y: number): boolean {
  const radius = 0.18;
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function drawIcon(name: string, size: number): Buffer {
  const glyph = GLYPHS[name] ?? GLYPHS.app;
  const samples = 4;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0;
    for (let px = 0; px < size; px++) {
      let shape = 0;
      let mark = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (insideRoundedSquare(x, y)) {
            shape++;
            if (glyph?.(x, y)) mark++;
          }
        }
      }
      const total = samples * samples;
      const white = shape === 0 ? 0 : mark / shape;
      const offset = py * (size * 4 + 1) + 1 + px * 4;
      raw[offset] = Math.round(BRAND[0] + (255 - BRAND[0]) * white);
      raw[offset + 1] = Math.round(BRAND[1] + (255 - BRAND[1]) * white);
      raw[offset + 2] = Math.round(BRAND[2] + (255 - BRAND[2]) * white);
      raw[offset + 3] = Math.round((255 * shape) / total);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
