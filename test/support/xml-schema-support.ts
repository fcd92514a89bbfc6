import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

/*
 * Test-only: sitemaps and feeds validated against the real schemas in ../shared/fixtures/schemas
 * (read at run time, never copied) with libxml2's XSD validator (xmllint-wasm).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMAS = path.resolve(ROOT, '../shared/fixtures/schemas');
/** Why schema validation cannot run here (the shared folder is absent), or false. Throws under CI=true. */
export const schemasMissing = fs.existsSync(SCHEMAS)
  ? false
  : `feed and sitemap schemas not found at ${SCHEMAS} (the shared folder is absent)`;
if (schemasMissing && process.env.CI === 'true') throw new Error(`${schemasMissing}; CI must validate feeds and sitemaps`);

/**
 * Google's `xhtml:link` (hreflang alternates in a sitemap) as its guide describes the element:
 * no schema for it ships in the fixtures, and sitemap.xsd's strict wildcard needs one.
 */
const XHTML_LINK_XSD = `<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1999/xhtml" elementFormDefault="qualified">
<xsd:element name="link"><xsd:complexType>
<xsd:attribute name="rel" type="xsd:string" use="required" fixed="alternate"/>
<xsd:attribute name="hreflang" use="required"><xsd:simpleType><xsd:restriction base="xsd:string"><xsd:pattern value="x-default|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"/></xsd:restriction></xsd:simpleType></xsd:attribute>
<xsd:attribute name="href" type="xsd:anyURI" use="required"/>
</xsd:complexType></xsd:element>
</xsd:schema>`;

/** A schema of the fixtures by its path under SCHEMAS. */
export const schema = (rel: string) => (rel === 'xhtml-link.xsd' ? XHTML_LINK_XSD : fs.readFileSync(path.join(SCHEMAS, rel), 'utf8'));

/** Validates XML against an XSD from the fixtures; `imports` wraps several namespaces in one schema. */
export async function xsdErrors(xml: string, main: string, imports: Record<string, string> = {}): Promise<string[]> {
  const files = [main, ...Object.values(imports)];
  const preload = files.map((f) => ({ fileName: path.basename(f), contents: schema(f) }));
  let root = { fileName: path.basename(main), contents: schema(main) };
  if (Object.keys(imports).length) {
    // sitemap.xsd's <any namespace="##other"> is strict: every extension namespace must be known.
    const wrapper = `<?xml version="1.0"?>\n<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">${Object.entries({
      'http://www.sitemaps.org/schemas/sitemap/0.9': main,
      ...imports,
    })
      .map(([ns, f]) => `<xsd:import namespace="${ns}" schemaLocation="${path.basename(f)}"/>`)
      .join('')}</xsd:schema>`;
    // Written at test time into a temp folder (never into the repo), then handed to libxml2.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-xsd-'));
    try {
      fs.writeFileSync(path.join(dir, 'wrapper.xsd'), wrapper);
      root = { fileName: 'wrapper.xsd', contents: fs.readFileSync(path.join(dir, 'wrapper.xsd'), 'utf8') };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const result = await validateXML({ xml: { fileName: 'doc.xml', contents: xml }, schema: root, preload });
  return result.errors.map((e) => e.rawMessage);
}

export const SITEMAP_EXTENSIONS = {
  'http://www.google.com/schemas/sitemap-image/1.1': 'sitemap/sitemap-image.xsd',
  'http://www.google.com/schemas/sitemap-news/0.9': 'sitemap/sitemap-news.xsd',
  'http://www.w3.org/1999/xhtml': 'xhtml-link.xsd',
};
