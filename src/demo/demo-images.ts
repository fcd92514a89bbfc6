/** A small seeded PRNG (mulberry32) so demo content is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PALETTES = [
  ['#1d2b36', '#3f5a4a', '#8c9a6b', '#d9c9a3'],
  ['#0b3954', '#087e8b', '#bfd7ea', '#ff5a5f'],
  ['#2d1e2f', '#6b2d5c', '#f0a6ca', '#f7e1d7'],
  ['#13315c', '#134074', '#8da9c4', '#eef4ed'],
  ['#3d2c1e', '#8b5e34', '#d4a373', '#fefae0'],
  ['#1b4332', '#2d6a4f', '#95d5b2', '#f1faee'],
  ['#22223b', '#4a4e69', '#9a8c98', '#f2e9e4'],
  ['#582f0e', '#7f4f24', '#b6ad90', '#ede0d4'],
];

/**
 * An abstract, photo-like JPEG (gradient sky, hills, figures) standing in for wire photos,
 * which the demo cannot redistribute.
 */
export async function makeDemoJpeg(seed: number, width = 1200, height = 675): Promise<Buffer> {
  const rand = prng(seed);
  const p = PALETTES[Math.floor(rand() * PALETTES.length)]!;
  const hills = Array.from({ length: 3 }, (_, i) => {
    const y = height * (0.55 + i * 0.12);
    const pts = Array.from({ length: 7 }, (_, k) => `${(k / 6) * width},${y - rand() * height * 0.18}`).join(' ');
    return `<polygon points="0,${height} ${pts} ${width},${height}" fill="${p[Math.min(3, i + 1)]}" opacity="${0.55 + i * 0.15}"/>`;
  }).join('');
  const figures = Array.from({ length: 4 + Math.floor(rand() * 8) }, () => {
    const x = rand() * width;
    const h = height * (0.12 + rand() * 0.1);
    const y = height * 0.95 - h;
    return `<rect x="${x}" y="${y}" width="${h * 0.28}" height="${h}" rx="${h * 0.12}" fill="${p[0]}" opacity="0.85"/><circle cx="${x + h * 0.14}" cy="${y - h * 0.14}" r="${h * 0.13}" fill="${p[0]}" opacity="0.85"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p[3]}"/><stop offset="1" stop-color="${p[2]}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#sky)"/>
<circle cx="${width * (0.2 + rand() * 0.6)}" cy="${height * 0.25}" r="${height * 0.12}" fill="${p[3]}" opacity="0.7"/>
${hills}${figures}</svg>`;
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).jpeg({ quality: 82, mozjpeg: true }).toBuffer();
}
