/**
 * Reads the descriptive metadata news photos carry (IPTC Photo Metadata as XMP and as IIM,
 * plus the EXIF fields cameras and agencies fill) into the fields an image record needs.
 *
 * Precedence follows the IPTC/MWG guidance: XMP first, IIM (IPTC APP13) as fallback, EXIF
 * last, decided field by field. The JPEG segments are located here; EXIF is read with
 * `exifr`. XMP and IIM are decoded here rather than by exifr because exifr reads IIM as
 * Latin-1 regardless of the declared charset (1:90), reads XMP as UTF-8 only (UTF-16 packets
 * fail) and turns numeric-looking XMP text into numbers; wire captions need all three right.
 *
 * Never throws on malformed metadata: whatever cannot be read is left empty.
 */

import { inflateSync } from 'node:zlib';

export interface PhotoMetadata {
  caption: string;
  credit: string;
  creator: string;
  copyrightNotice: string;
  /** IPTC "Alt Text (Accessibility)"; never derived from the credit or caption. */
  altText: string;
  headline?: string;
  /** dc:title / IIM Object Name (often the agency's slug). */
  title?: string;
  source?: string;
  keywords?: string[];
  /** ISO 8601 date (YYYY-MM-DD), with the time when XMP gives one. */
  dateCreated?: string;
  city?: string;
  country?: string;
}

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  iptcCore: 'http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** IIM record 2 datasets (IPTC IIM 4.2). */
const IIM = {
  objectName: 5,
  keywords: 25,
  dateCreated: 55,
  byline: 80,
  city: 90,
  country: 101,
  headline: 105,
  credit: 110,
  source: 115,
  copyrightNotice: 116,
  caption: 120,
} as const;

type XmpValue = string | string[];

export async function readPhotoMetadata(buffer: Buffer): Promise<PhotoMetadata> {
  const segments = isJpeg(buffer)
    ? jpegMetadataSegments(buffer)
    : { xmp: (isPng(buffer) ? safely(() => pngXmp(buffer), undefined) : undefined) ?? findXmpPacket(buffer), iim: undefined };
  const xmp = segments.xmp
    ? safely(() => readXmp(decodeXmpPacket(segments.xmp!)), new Map<string, XmpValue>())
    : new Map<string, XmpValue>();
  const iim = segments.iim ? safely(() => readIim(segments.iim!), new Map<number, string[]>()) : new Map<number, string[]>();
  const exif = await readExif(buffer);

  const x = (ns: string, name: string): string => firstText(xmp.get(`${ns}${name}`));
  const i = (dataset: number): string => clean(iim.get(dataset)?.[0]);

  const keywords = listOf(xmp.get(`${NS.dc}subject`));
  const iimKeywords = (iim.get(IIM.keywords) ?? []).map(clean).filter(Boolean);

  const out: PhotoMetadata = {
    caption: x(NS.dc, 'description') || i(IIM.caption) || exif.description,
    credit: x(NS.photoshop, 'Credit') || i(IIM.credit),
    creator:
      listOf(xmp.get(`${NS.dc}creator`)).join(', ') || (iim.get(IIM.byline) ?? []).map(clean).filter(Boolean).join(', ') || exif.artist,
    copyrightNotice: x(NS.dc, 'rights') || i(IIM.copyrightNotice) || exif.copyright,
    altText: x(NS.iptcCore, 'AltTextAccessibility'),
  };
  const optional: Array<[keyof PhotoMetadata, string]> = [
    ['headline', x(NS.photoshop, 'Headline') || i(IIM.headline)],
    ['title', x(NS.dc, 'title') || i(IIM.objectName)],
    ['source', x(NS.photoshop, 'Source') || i(IIM.source)],
    ['dateCreated', isoDate(x(NS.photoshop, 'DateCreated')) || iimDate(i(IIM.dateCreated))],
    ['city', x(NS.photoshop, 'City') || i(IIM.city)],
    ['country', x(NS.photoshop, 'Country') || i(IIM.country)],
  ];
  for (const [key, value] of optional) if (value) (out as unknown as Record<string, string>)[key] = value;
  const words = keywords.length ? keywords : iimKeywords;
  if (words.length) out.keywords = words;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings

/** Trims, drops NULs and other control characters (keeping tabs and newlines) and normalises line ends. */
function clean(value: string | undefined): string {
  if (!value) return '';
  // eslint-disable-next-line no-control-regex
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\r\n?/g, '\n')
    .trim();
}

function firstText(value: XmpValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(clean).find(Boolean) ?? '';
  return clean(value);
}

function listOf(value: XmpValue | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(clean).filter(Boolean);
}

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** XMP dates are ISO 8601 already ("2020-07-08", "2020-07-08T09:49:13-04:00"); accept only that shape. */
function isoDate(value: string): string {
  return /^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(value) ? value : '';
}

/** IIM 2:55 is CCYYMMDD; the time (2:60) is left out because agencies often send it malformed. */
function iimDate(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m || m[2] === '00') return '';
  return m[3] === '00' ? `${m[1]}-${m[2]}` : `${m[1]}-${m[2]}-${m[3]}`;
}

// ---------------------------------------------------------------------------------------------
// JPEG segments

function isJpeg(b: Buffer): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

const XMP_SIGNATURE = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const PHOTOSHOP_SIGNATURE = Buffer.from('Photoshop 3.0\0', 'latin1');

/** The XMP packet (APP1) and the Photoshop image resources (APP13, possibly split over several segments). */
function jpegMetadataSegments(b: Buffer): { xmp?: Buffer; iim?: Buffer } {
  let xmp: Buffer | undefined;
  const photoshop: Buffer[] = [];
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) break;
    const marker = b[pos + 1]!;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan: no metadata after this
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = b.readUInt16BE(pos + 2);
    if (length < 2) break;
    const start = pos + 4;
    const end = Math.min(pos + 2 + length, b.length);
    const body = b.subarray(start, end);
    if (marker === 0xe1 && !xmp && startsWith(body, XMP_SIGNATURE)) xmp = body.subarray(XMP_SIGNATURE.length);
    else if (marker === 0xed && startsWith(body, PHOTOSHOP_SIGNATURE)) photoshop.push(body.subarray(PHOTOSHOP_SIGNATURE.length));
    pos += 2 + length;
  }
  return { xmp, iim: photoshop.length ? iimFromPhotoshopResources(Buffer.concat(photoshop)) : undefined };
}

function startsWith(b: Buffer, prefix: Buffer): boolean {
  return b.length >= prefix.length && b.subarray(0, prefix.length).equals(prefix);
}

const RESOURCE_SIGNATURES = new Set(['8BIM', 'PHUT', 'AgHg', 'DCSR', 'MeSa']);

/** The IPTC-NAA resource (0x0404) inside Photoshop image resource blocks. */
function iimFromPhotoshopResources(b: Buffer): Buffer | undefined {
  let pos = 0;
  while (pos + 12 <= b.length) {
    if (!RESOURCE_SIGNATURES.has(b.toString('latin1', pos, pos + 4))) return undefined;
    const id = b.readUInt16BE(pos + 4);
    const nameLength = b[pos + 6]!;
    pos += 6 + nameLength + 1 + ((nameLength + 1) % 2); // Pascal name padded to an even size
    if (pos + 4 > b.length) return undefined;
    const size = b.readUInt32BE(pos);
    pos += 4;
    if (id === 0x0404) return b.subarray(pos, Math.min(pos + size, b.length));
    pos += size + (size % 2);
  }
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(b: Buffer): boolean {
  return startsWith(b, PNG_SIGNATURE);
}

/** XMP in a PNG: an iTXt (or, from some tools, zTXt) chunk keyed "XML:com.adobe.xmp", possibly deflated. */
function pngXmp(b: Buffer): Buffer | undefined {
  let pos = 8;
  while (pos + 8 <= b.length) {
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const data = b.subarray(pos + 8, Math.min(pos + 8 + length, b.length));
    if (type === 'IDAT' || type === 'IEND') return undefined; // metadata chunks come first in practice
    if ((type === 'iTXt' || type === 'zTXt') && data.toString('latin1', 0, 18) === 'XML:com.adobe.xmp\0') {
      let rest = data.subarray(18);
      if (type === 'zTXt') return inflateSync(rest.subarray(1));
      const compressed = rest[0] === 1;
      rest = rest.subarray(2);
      rest = rest.subarray(rest.indexOf(0) + 1); // language tag
      rest = rest.subarray(rest.indexOf(0) + 1); // translated keyword
      return compressed ? inflateSync(rest) : rest;
    }
    pos += 12 + length;
  }
  return undefined;
}

/** A UTF-8 XMP packet anywhere in a non-JPEG file (PNG iTXt, WebP "XMP " chunk, HEIF/AVIF item). */
function findXmpPacket(b: Buffer): Buffer | undefined {
  const start = b.indexOf('<x:xmpmeta');
  if (start < 0) return undefined;
  const endTag = '</x:xmpmeta>';
  const end = b.indexOf(endTag, start);
  return end < 0 ? undefined : b.subarray(start, end + endTag.length);
}

// ---------------------------------------------------------------------------------------------
// IIM

const UTF8_ESCAPES = ['\x1b%G', '\x1b%/G', '\x1b%/H', '\x1b%/I'];

/** Datasets of record 2, decoded with the charset declared in 1:90 (UTF-8 escape), else guessed. */
function readIim(b: Buffer): Map<number, string[]> {
  const raw = new Map<number, Buffer[]>();
  let declared: 'utf8' | 'latin' | undefined;
  let pos = 0;
  while (pos + 5 <= b.length) {
    if (b[pos] !== 0x1c) {
      pos += 1; // tolerate padding between datasets
      continue;
    }
    const record = b[pos + 1]!;
    const dataset = b[pos + 2]!;
    let length = b.readUInt16BE(pos + 3);
    pos += 5;
    if (length & 0x8000) {
      // Extended dataset: the low 15 bits give the size of the length field.
      const n = length & 0x7fff;
      if (n > 4 || pos + n > b.length) break;
      length = b.readUIntBE(pos, n);
      pos += n;
    }
    const value = b.subarray(pos, Math.min(pos + length, b.length));
    pos += length;
    if (record === 1 && dataset === 90) {
      const esc = value.toString('latin1');
      declared = UTF8_ESCAPES.includes(esc) ? 'utf8' : 'latin';
    } else if (record === 2) {
      const list = raw.get(dataset) ?? [];
      list.push(value);
      raw.set(dataset, list);
    }
  }
  const out = new Map<number, string[]>();
  for (const [dataset, values] of raw)
    out.set(
      dataset,
      values.map((v) => decodeIimText(v, declared)),
    );
  return out;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/**
 * Without a declaration the IIM default is ISO 8859-1 (read as Windows-1252, which is a
 * superset and what Windows tools actually write). Many tools write UTF-8 without declaring
 * it, though, and text with non-ASCII bytes that is valid UTF-8 is almost never Latin-1.
 */
function decodeIimText(v: Buffer, declared: 'utf8' | 'latin' | undefined): string {
  if (declared === 'utf8') return v.toString('utf8');
  try {
    return utf8Strict.decode(v);
  } catch {
    return windows1252.decode(v);
  }
}

// ---------------------------------------------------------------------------------------------
// XMP

/** XMP in JPEG should be UTF-8 but UTF-16/32 packets exist; the BOM or NUL pattern tells which. */
function decodeXmpPacket(b: Buffer): string {
  const has = (...bytes: number[]) => bytes.every((x, k) => b[k] === x);
  if (has(0, 0, 0xfe, 0xff)) return decodeUtf32(b.subarray(4), false);
  if (has(0xff, 0xfe, 0, 0)) return decodeUtf32(b.subarray(4), true);
  if (has(0xfe, 0xff)) return swapToUtf16le(b.subarray(2));
  if (has(0xff, 0xfe)) return b.subarray(2).toString('utf16le');
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] !== 0) return decodeUtf32(b, false);
  if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) return decodeUtf32(b, true);
  if (b.length >= 2 && b[0] === 0 && b[1] !== 0) return swapToUtf16le(b);
  if (b.length >= 2 && b[0] !== 0 && b[1] === 0) return b.toString('utf16le');
  return b.toString('utf8');
}

function swapToUtf16le(b: Buffer): string {
  const copy = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  return copy.swap16().toString('utf16le');
}

function decodeUtf32(b: Buffer, littleEndian: boolean): string {
  let s = '';
  for (let k = 0; k + 4 <= b.length; k += 4) {
    const cp = littleEndian ? b.readUInt32LE(k) : b.readUInt32BE(k);
    if (cp <= 0x10ffff) s += String.fromCodePoint(cp);
  }
  return s;
}

interface XmlElement {
  /** Namespace URI + local name. */
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Simple properties of every rdf:Description, keyed by namespace URI + local name:
 * text, lang-alt (x-default, else the first), Seq/Bag as arrays.
 */
function readXmp(packet: string): Map<string, XmpValue> {
  const root = parseXml(packet);
  const out = new Map<string, XmpValue>();
  const visit = (el: XmlElement) => {
    if (el.name === `${NS.rdf}Description`) {
      for (const [name, value] of el.attrs) {
        if (!name.startsWith(NS.rdf) && !name.startsWith(NS.xml) && !name.startsWith('xmlns') && !out.has(name)) out.set(name, value);
      }
      for (const child of el.children) {
        const value = propertyValue(child);
        if (value !== undefined && !out.has(child.name)) out.set(child.name, value);
      }
    }
    el.children.forEach(visit);
  };
  visit(root);
  return out;
}

function propertyValue(el: XmlElement): XmpValue | undefined {
  const resource = el.attrs.get(`${NS.rdf}resource`);
  if (resource !== undefined) return resource;
  const container = el.children.find((c) => c.name === `${NS.rdf}Alt` || c.name === `${NS.rdf}Seq` || c.name === `${NS.rdf}Bag`);
  if (container) {
    const items = container.children.filter((c) => c.name === `${NS.rdf}li`);
    if (container.name === `${NS.rdf}Alt`) {
      const preferred =
        items.find((li) => li.attrs.get(`${NS.xml}lang`)?.toLowerCase() === 'x-default') ?? items.find((li) => clean(li.text)) ?? items[0];
      return preferred ? preferred.text : undefined;
    }
    return items.map((li) => li.text);
  }
  if (el.children.length) return undefined; // structures are not needed here
  return el.text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/**
 * A small, forgiving XML parser with namespace resolution: enough for XMP packets, which are
 * machine-written and well-formed, but it never throws on junk (unclosed tags just end).
 */
function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: '', attrs: new Map(), children: [], text: '' };
  const stack: Array<{ el: XmlElement; ns: Map<string, string>; qname: string }> = [
    { el: root, ns: new Map([['xml', NS.xml]]), qname: '' },
  ];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  const attr = /([\w.:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let pos = 0;
  while (pos < src.length) {
    const lt = src.indexOf('<', pos);
    const top = stack[stack.length - 1]!;
    if (lt < 0) break;
    if (lt > pos) top.el.text += decodeEntities(src.slice(pos, lt));
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt + 4);
      pos = end < 0 ? src.length : end + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', lt)) {
      const end = src.indexOf(']]>', lt + 9);
      top.el.text += src.slice(lt + 9, end < 0 ? src.length : end);
      pos = end < 0 ? src.length : end + 3;
      continue;
    }
    if (src.startsWith('<?', lt) || src.startsWith('<!', lt)) {
      const end = src.indexOf('>', lt + 2);
      pos = end < 0 ? src.length : end + 1;
      continue;
    }
    tag.lastIndex = lt;
    const m = tag.exec(src);
    if (!m) {
      top.el.text += '<';
      pos = lt + 1;
      continue;
    }
    pos = tag.lastIndex;
    const [, closing, qname, attrText, selfClosing] = m as unknown as [string, string, string, string, string];
    if (closing) {
      const at = stack.map((s) => s.qname).lastIndexOf(qname);
      if (at > 0) stack.length = at;
      continue;
    }
    const ns = new Map(top.ns);
    const rawAttrs: Array<[string, string]> = [];
    for (const a of attrText.matchAll(attr)) {
      const [name, value] = [a[1]!, decodeEntities(a[3] ?? a[4] ?? '')];
      if (name === 'xmlns') ns.set('', value);
      else if (name.startsWith('xmlns:')) ns.set(name.slice(6), value);
      else rawAttrs.push([name, value]);
    }
    const resolve = (q: string, isAttr: boolean) => {
      const colon = q.indexOf(':');
      if (colon < 0) return isAttr ? q : `${ns.get('') ?? ''}${q}`;
      return `${ns.get(q.slice(0, colon)) ?? `${q.slice(0, colon)}:`}${q.slice(colon + 1)}`;
    };
    const el: XmlElement = {
      name: resolve(qname, false),
      attrs: new Map(rawAttrs.map(([n, v]) => [resolve(n, true), v])),
      children: [],
      text: '',
    };
    top.el.children.push(el);
    if (!selfClosing) stack.push({ el, ns, qname });
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// EXIF

/** Descriptions cameras write by themselves; they are not captions. */
const CAMERA_PLACEHOLDERS =
  /^(?:SONY DSC|OLYMPUS DIGITAL CAMERA|DIGITAL CAMERA|KODAK DIGITAL STILL CAMERA|SAMSUNG DIGITAL CAMERA|DCF\s*\d*\.?\d*|Default|Description|Image|Picture|Untitled)$/i;

async function readExif(buffer: Buffer): Promise<{ description: string; artist: string; copyright: string }> {
  const empty = { description: '', artist: '', copyright: '' };
  try {
    const { default: exifr } = await import('exifr');
    const tags = (await exifr.parse(buffer, {
      tiff: true,
      ifd0: { pick: ['ImageDescription', 'Artist', 'Copyright'] } as never,
      exif: false,
      gps: false,
      interop: false,
      ifd1: false,
      xmp: false,
      iptc: false,
      icc: false,
      jfif: false,
      mergeOutput: true,
    })) as Record<string, unknown> | undefined;
    if (!tags) return empty;
    const text = (v: unknown) =>
      typeof v === 'string'
        ? clean(v)
        : Array.isArray(v)
          ? v
              .filter((s) => typeof s === 'string')
              .map(clean)
              .filter(Boolean)
              .join(', ')
          : '';
    // EXIF Copyright may hold "photographer\0editor"; exifr gives the first part, which is the photographer's notice.
    const description = text(tags.ImageDescription);
    return {
      description: CAMERA_PLACEHOLDERS.test(description) ? '' : description,
      artist: text(tags.Artist),
      copyright: text(tags.Copyright),
    };
  } catch {
    return empty;
  }
}
