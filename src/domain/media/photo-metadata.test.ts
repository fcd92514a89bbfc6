import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { readPhotoMetadata } from './photo-metadata.ts';
import {
  iimSegment,
  photoFixturesSkip,
  readExiftoolDump,
  readPhoto,
  withoutXmp,
  withSegments,
  xmpPacket,
  xmpSegment,
} from '../../../test/support/photo-test-support.ts';

const skipFixtures = photoFixturesSkip();

async function plainJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
}

/** Strings or string lists from an exiftool dump, as a list. */
function dumpList(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function dumpText(dump: Record<string, unknown>, ...tags: string[]): string {
  for (const tag of tags) if (dump[tag] !== undefined) return String(dump[tag]).trim();
  return '';
}

describe('readPhotoMetadata on real photos', { skip: skipFixtures }, () => {
  // The same precedence as the reader (XMP, then IIM, then EXIF), applied to exiftool's reading.
  for (const name of ['IPTC', 'XMP', 'cp']) {
    it(`${name}.jpg agrees with exiftool on caption, credit, creator, copyright, title and keywords`, async () => {
      const dump = readExiftoolDump(`${name}.exiftool.json`);
      const m = await readPhotoMetadata(readPhoto(`${name}.jpg`));
      assert.equal(m.caption, dumpText(dump, 'XMP-dc:Description', 'IPTC:Caption-Abstract', 'IFD0:ImageDescription'));
      assert.equal(m.credit, dumpText(dump, 'XMP-photoshop:Credit', 'IPTC:Credit'));
      assert.equal(m.creator, dumpText(dump, 'XMP-dc:Creator', 'IPTC:By-line', 'IFD0:Artist'));
      assert.equal(m.copyrightNotice, dumpText(dump, 'XMP-dc:Rights', 'IPTC:CopyrightNotice', 'IFD0:Copyright'));
      assert.equal(m.title ?? '', dumpText(dump, 'XMP-dc:Title', 'IPTC:ObjectName'));
      assert.equal(m.headline ?? '', dumpText(dump, 'XMP-photoshop:Headline', 'IPTC:Headline'));
      assert.equal(m.source ?? '', dumpText(dump, 'XMP-photoshop:Source', 'IPTC:Source'));
      assert.equal(m.city ?? '', dumpText(dump, 'XMP-photoshop:City', 'IPTC:City'));
      assert.equal(m.country ?? '', dumpText(dump, 'XMP-photoshop:Country', 'IPTC:Country-PrimaryLocationName'));
      const keywords = dump['XMP-dc:Subject'] !== undefined ? dumpList(dump['XMP-dc:Subject']) : dumpList(dump['IPTC:Keywords']);
      assert.deepEqual(m.keywords ?? [], keywords);
      const date = dumpText(dump, 'XMP-photoshop:DateCreated', 'IPTC:DateCreated').replace(/:/g, '-');
      assert.equal(m.dateCreated ?? '', date);
      assert.equal(m.altText, '', 'none of these photos has accessibility alt text; the credit is never used');
    });
  }

  it('IPTC.jpg (IIM only) gives the documented values', async () => {
    assert.deepEqual(await readPhotoMetadata(readPhoto('IPTC.jpg')), {
      caption: 'A witty caption',
      credit: 'My Credit',
      creator: 'Phil Harvey',
      copyrightNotice: 'Copyright 2004 Phil Harvey',
      altText: '',
      headline: 'No headline',
      title: 'Test IPTC picture',
      source: "I'm the source",
      keywords: ['ExifTool', 'Test', 'IPTC'],
      dateCreated: '2004-02-26',
      city: 'Kingston',
      country: 'Canada',
    });
  });

  it('XMP.jpg (UTF-16 XMP, plus EXIF) prefers XMP and decodes the UTF-16 packet', async () => {
    assert.deepEqual(await readPhotoMetadata(readPhoto('XMP.jpg')), {
      caption: 'UTF-16 (big-endian) encoded XMP',
      credit: 'My Credit',
      creator: 'Phil Harvey',
      copyrightNotice: 'Copyright 2004 Phil Harvey',
      altText: '',
      headline: 'No headline',
      title: 'Test IPTC picture',
      source: "I'm the source",
      keywords: ['ExifTool', 'Test', 'XMP'],
      dateCreated: '2004-02-26',
      city: 'Kingston',
      country: 'Canada',
    });
  });

  it('cp.jpg (Canadian Press) gives credit, byline, caption and the accented title; no copyright notice', async () => {
    const m = await readPhotoMetadata(readPhoto('cp.jpg'));
    assert.equal(
      m.caption,
      'The Montreal Police logo is seen on a police car in Montreal on Wednesday, July 8, 2020. THE CANADIAN PRESS/Paul Chiasson',
    );
    assert.equal(m.credit, 'The Canadian Press');
    assert.equal(m.creator, 'Paul Chiasson');
    assert.equal(m.copyrightNotice, '');
    assert.equal(m.altText, '');
    assert.equal(m.title, 'MORT PIÉTONNE MONTRÉAL 20201014');
    assert.equal(m.headline, undefined);
    // Where XMP and IIM disagree, XMP wins.
    assert.equal(m.source, 'CP');
    assert.equal(m.dateCreated, '2020-07-08');
    assert.deepEqual(m.keywords, ['Canada']);
    assert.equal(m.city, 'Montreal');
    assert.equal(m.country, 'Canada');
  });

  it('cp.jpg without its XMP falls back to IIM, decoded as the UTF-8 its 1:90 declares', async () => {
    const dump = readExiftoolDump('cp.exiftool.json');
    const m = await readPhotoMetadata(withoutXmp(readPhoto('cp.jpg')));
    assert.equal(m.title, 'MORT PIÉTONNE MONTRÉAL 20201014');
    assert.equal(m.title, dump['IPTC:ObjectName']);
    assert.equal(m.caption, dump['IPTC:Caption-Abstract']);
    assert.equal(m.credit, dump['IPTC:Credit']);
    assert.equal(m.creator, dump['IPTC:By-line']);
    assert.equal(m.source, 'The Canadian Press');
    assert.equal(m.dateCreated, '2024-05-30');
    assert.deepEqual(m.keywords, ['cpstock']);
  });
});

describe('readPhotoMetadata rules', () => {
  it('returns empty strings for a photo without metadata and never throws on non-images', async () => {
    const empty = { caption: '', credit: '', creator: '', copyrightNotice: '', altText: '' };
    assert.deepEqual(await readPhotoMetadata(await plainJpeg()), empty);
    assert.deepEqual(await readPhotoMetadata(Buffer.from('just some text')), empty);
    assert.deepEqual(await readPhotoMetadata(Buffer.alloc(0)), empty);
    // A JPEG whose segments are cut short.
    const cut = withSegments(await plainJpeg(), iimSegment([[2, 120, 'Caption']])).subarray(0, 30);
    assert.equal((await readPhotoMetadata(cut)).credit, '');
  });

  it('takes XMP first, IIM next and EXIF last, field by field', async () => {
    const base = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
      .withExif({ IFD0: { ImageDescription: 'EXIF caption', Artist: 'EXIF artist', Copyright: '(c) 2020 EXIF' } })
      .jpeg()
      .toBuffer();
    const jpeg = withSegments(
      base,
      xmpSegment(xmpPacket('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">XMP caption</rdf:li></rdf:Alt></dc:description>')),
      iimSegment([
        [2, 120, 'IIM caption'],
        [2, 110, 'IIM credit'],
        [2, 80, 'IIM byline'],
      ]),
    );
    const m = await readPhotoMetadata(jpeg);
    assert.equal(m.caption, 'XMP caption');
    assert.equal(m.credit, 'IIM credit');
    assert.equal(m.creator, 'IIM byline');
    assert.equal(m.copyrightNotice, '(c) 2020 EXIF');
    const exifOnly = await readPhotoMetadata(base);
    assert.deepEqual([exifOnly.caption, exifOnly.creator, exifOnly.copyrightNotice], ['EXIF caption', 'EXIF artist', '(c) 2020 EXIF']);
  });

  it('ignores the placeholder descriptions cameras write', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .withExif({ IFD0: { ImageDescription: 'OLYMPUS DIGITAL CAMERA         ' } })
      .jpeg()
      .toBuffer();
    assert.equal((await readPhotoMetadata(jpeg)).caption, '');
  });

  it('reads lang-alt values (x-default over the first language), lists, attributes and entities', async () => {
    const packet = xmpPacket(
      '<dc:description><rdf:Alt><rdf:li xml:lang="fr-CA">Légende</rdf:li><rdf:li xml:lang="x-default">  Caption &amp; more &#xE9;&#233; &lt;b&gt;  </rdf:li></rdf:Alt></dc:description>' +
        '<dc:creator><rdf:Seq><rdf:li>Ann Photo</rdf:li><rdf:li>Bob Snap</rdf:li></rdf:Seq></dc:creator>' +
        '<dc:rights><rdf:Alt><rdf:li xml:lang="en">© 2024 Wire</rdf:li></rdf:Alt></dc:rights>' +
        '<dc:subject><rdf:Bag><rdf:li>police</rdf:li><rdf:li> </rdf:li><rdf:li>2020</rdf:li></rdf:Bag></dc:subject>' +
        '<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">A police car with its logo</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>',
      'photoshop:Credit="Agence &quot;X&quot;" photoshop:Headline="2024" photoshop:DateCreated="2020-07-08T09:49:13-04:00"',
    );
    const m = await readPhotoMetadata(withSegments(await plainJpeg(), xmpSegment(packet)));
    assert.equal(m.caption, 'Caption & more éé <b>');
    assert.equal(m.creator, 'Ann Photo, Bob Snap');
    assert.equal(m.copyrightNotice, '© 2024 Wire');
    assert.deepEqual(m.keywords, ['police', '2020']);
    assert.equal(m.altText, 'A police car with its logo');
    assert.equal(m.credit, 'Agence "X"');
    assert.equal(m.headline, '2024', 'numeric-looking text stays text');
    assert.equal(m.dateCreated, '2020-07-08T09:49:13-04:00');
  });

  it('resolves XMP namespaces by URI, not by the prefix a tool happened to use', async () => {
    const packet =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><RDF xmlns="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><Description xmlns:purl="http://purl.org/dc/elements/1.1/" xmlns:ps="http://ns.adobe.com/photoshop/1.0/" xmlns:dc="urn:not-dublin-core">' +
      '<purl:description><Alt><li xml:lang="x-default">Right caption</li></Alt></purl:description><dc:description>Wrong caption</dc:description><ps:Credit>Reuters</ps:Credit></Description></RDF></x:xmpmeta>';
    const m = await readPhotoMetadata(withSegments(await plainJpeg(), xmpSegment(packet)));
    assert.equal(m.caption, 'Right caption');
    assert.equal(m.credit, 'Reuters');
  });

  for (const encoding of ['utf16le-bom', 'utf16be'] as const) {
    it(`decodes ${encoding} XMP packets`, async () => {
      const packet = xmpPacket(
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">MORT PIÉTONNE MONTRÉAL</rdf:li></rdf:Alt></dc:title><photoshop:Credit>Presse Canadienne</photoshop:Credit>',
      );
      const m = await readPhotoMetadata(withSegments(await plainJpeg(), xmpSegment(packet, encoding)));
      assert.equal(m.title, 'MORT PIÉTONNE MONTRÉAL');
      assert.equal(m.credit, 'Presse Canadienne');
    });
  }

  it('decodes IIM as UTF-8 when 1:90 declares it, and as Latin-1 when undeclared bytes are not UTF-8', async () => {
    const utf8 = iimSegment([
      [1, 90, Buffer.from([0x1b, 0x25, 0x47])],
      [2, 5, 'MORT PIÉTONNE MONTRÉAL'],
      [2, 120, '  Zürich, Schweiz  '],
      [2, 25, 'un'],
      [2, 25, 'deux'],
    ]);
    const m1 = await readPhotoMetadata(withSegments(await plainJpeg(), utf8));
    assert.equal(m1.title, 'MORT PIÉTONNE MONTRÉAL');
    assert.equal(m1.caption, 'Zürich, Schweiz');
    assert.deepEqual(m1.keywords, ['un', 'deux']);

    const latin1 = iimSegment([
      [2, 5, Buffer.from('MORT PIÉTONNE MONTRÉAL', 'latin1')],
      [2, 110, Buffer.from('Agence France-Presse', 'latin1')],
      [2, 116, Buffer.from('Copyright © 2024', 'latin1')],
    ]);
    const m2 = await readPhotoMetadata(withSegments(await plainJpeg(), latin1));
    assert.equal(m2.title, 'MORT PIÉTONNE MONTRÉAL');
    assert.equal(m2.copyrightNotice, 'Copyright © 2024');

    // Undeclared but valid UTF-8 (common from newer tools) is read as UTF-8.
    const undeclared = iimSegment([[2, 80, 'Frédéric Côté']]);
    assert.equal((await readPhotoMetadata(withSegments(await plainJpeg(), undeclared))).creator, 'Frédéric Côté');
  });

  it('reads XMP from a PNG', async () => {
    const packet = xmpPacket('<photoshop:Credit>AP</photoshop:Credit>');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .png()
      .withXmp(packet)
      .toBuffer();
    assert.equal((await readPhotoMetadata(png)).credit, 'AP');
  });
});
