import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Test-only helpers (imported by *.test.ts, never by application code) for photo metadata: where the shared real-world photos are, and builders that
 * put XMP (APP1) and IIM (APP13) segments into a JPEG the way agencies' tools do.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared photo fixtures beside the checkout (never copied into the repo). */
export const PHOTOS_DIR = path.resolve(repoRoot, '../shared/fixtures/photos');

/**
 * Skip reason for node:test when the fixtures are absent (false when present); under CI=true
 * their absence throws instead, failing the run.
 */
export function photoFixturesSkip(): string | false {
  if (fs.existsSync(path.join(PHOTOS_DIR, 'cp.jpg'))) return false;
  const reason = `photo fixtures not found at ${PHOTOS_DIR} (the shared folder is absent)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must check photo metadata against real photos`);
  return reason;
}

export function readPhoto(name: string): Buffer {
  return fs.readFileSync(path.join(PHOTOS_DIR, name));
}

/** The first record of an `exiftool -j -G1` dump. */
export function readExiftoolDump(name: string): Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(path.join(PHOTOS_DIR, name), 'utf8')) as Array<Record<string, unknown>>)[0]!;
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** An APP1 XMP segment holding `packet` in the given encoding. */
export function xmpSegment(packet: string, encoding: 'utf8' | 'utf16le-bom' | 'utf16be' = 'utf8'): Buffer {
  let data: Buffer;
  if (encoding === 'utf8') data = Buffer.from(packet, 'utf8');
  else if (encoding === 'utf16le-bom') data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(packet, 'utf16le')]);
  else data = Buffer.from(packet, 'utf16le').swap16();
  return segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), data]));
}

/** An APP13 Photoshop segment with an IPTC-NAA resource made of `[record, dataset, value]` entries. */
export function iimSegment(datasets: Array<[number, number, Buffer | string]>): Buffer {
  const iim = Buffer.concat(
    datasets.map(([record, dataset, value]) => {
      const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      const head = Buffer.from([0x1c, record, dataset, 0, 0]);
      head.writeUInt16BE(v.length, 3);
      return Buffer.concat([head, v]);
    }),
  );
  const resource = Buffer.alloc(12);
  resource.write('8BIM', 0, 'latin1');
  resource.writeUInt16BE(0x0404, 4);
  resource.writeUInt32BE(iim.length, 8); // empty Pascal name padded to two bytes at 6..7
  const pad = iim.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0);
  return segment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource, iim, pad]));
}

/** The JPEG with `segments` inserted right after its SOI marker. */
export function withSegments(jpeg: Buffer, ...segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/** The JPEG without its APP1 XMP segment(s). */
export function withoutXmp(jpeg: Buffer): Buffer {
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let pos = 2;
  while (pos + 4 <= jpeg.length && jpeg[pos] === 0xff && jpeg[pos + 1] !== 0xda) {
    const length = jpeg.readUInt16BE(pos + 2);
    const seg = jpeg.subarray(pos, pos + 2 + length);
    if (!(jpeg[pos + 1] === 0xe1 && seg.subarray(4, 32).toString('latin1').startsWith('http://ns.adobe.com/xap/1.0/'))) parts.push(seg);
    pos += 2 + length;
  }
  parts.push(jpeg.subarray(pos));
  return Buffer.concat(parts);
}

/** A minimal XMP packet with the given rdf:Description content and extra namespace declarations. */
export function xmpPacket(inner: string, attrs = ''): string {
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" ${attrs}>${inner}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}
