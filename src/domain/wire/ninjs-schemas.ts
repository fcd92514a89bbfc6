import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import { PROJECT_ROOT } from '../../paths.ts';
import { ValidationError } from '../errors.ts';

/*
 * The official IPTC ninjs JSON Schemas, vendored in ./schemas (see the README there) so
 * validation works without ../shared. Formats are not asserted, like IPTC's own test runner:
 * agencies send `uri`s such as "001_title.json" that are not absolute URIs.
 */

export const SCHEMA_DIR = path.join(PROJECT_ROOT, 'src', 'domain', 'wire', 'schemas');

/** Every ninjs version we validate against (1.0 is draft-03, which ajv cannot run; 1.1 stands in). */
export const NINJS_VERSIONS = ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '2.0', '2.1', '2.2', '3.0', '3.1'] as const;
export type NinjsVersion = (typeof NINJS_VERSIONS)[number];

/** The newest minor of each major: what an undeclared document is checked against. */
export const LATEST_OF_MAJOR: Record<'1' | '2' | '3', NinjsVersion> = { '1': '1.6', '2': '2.2', '3': '3.1' };

const GEOJSON_ID = 'https://geojson.org/schema/GeoJSON.json';

export function schemaFileOf(version: NinjsVersion): string {
  return path.join(SCHEMA_DIR, `ninjs-schema_${version}.json`);
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

type AnyAjv = Pick<Ajv, 'compile' | 'addSchema'>;
type AjvClass = new (options: Record<string, unknown>) => AnyAjv;

// ajv-draft-04 is CommonJS; under NodeNext its class may sit on `.default`.
const draft04Module = AjvDraft04Module as unknown as AjvClass & { default?: AjvClass };
const AjvDraft04: AjvClass = draft04Module.default ?? draft04Module;
let engines: { draft04: AnyAjv; draft07: AnyAjv; draft2020: AnyAjv } | undefined;

function enginesFor() {
  if (engines) return engines;
  const options = { strict: false, validateFormats: false, allErrors: false } as const;
  const draft04 = new AjvDraft04(options);
  const draft07 = new Ajv(options);
  const draft2020 = new Ajv2020(options);
  const geojson = readJson(path.join(SCHEMA_DIR, 'GeoJSON-schema.json'));
  draft2020.addSchema(geojson);
  // ninjs 2.0 is draft-04 yet $refs the 2020-12 GeoJSON schema; GeoJSON uses only keywords
  // both drafts share, so a copy without its meta-schema lines serves the draft-04 engine.
  const { $schema: _s, $id: _i, ...geojsonBody } = geojson;
  draft04.addSchema(geojsonBody, GEOJSON_ID);
  engines = { draft04, draft07, draft2020 };
  return engines;
}

const propertyNames = new Map<NinjsVersion, Set<string>>();

/** Every property name one version's schema defines, at any depth (read once per version). */
export function schemaPropertyNames(version: NinjsVersion): Set<string> {
  const cached = propertyNames.get(version);
  if (cached) return cached;
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'properties' && typeof x === 'object' && x !== null) for (const name of Object.keys(x)) names.add(name);
        walk(x);
      }
    }
  };
  walk(readJson(schemaFileOf(version)));
  propertyNames.set(version, names);
  return names;
}

const compiled = new Map<NinjsVersion, ValidateFunction>();

/** The compiled validator of one ninjs version; compiled on first use (about 50 ms each). */
export function ninjsValidator(version: NinjsVersion): ValidateFunction {
  const cached = compiled.get(version);
  if (cached) return cached;
  const schema = readJson(schemaFileOf(version));
  const meta = String(schema.$schema ?? '');
  const e = enginesFor();
  const engine = meta.includes('draft-04') ? e.draft04 : meta.includes('draft-07') ? e.draft07 : e.draft2020;
  const validate = engine.compile(schema);
  compiled.set(version, validate);
  return validate;
}

/** One readable line per ajv error: `/associations/0: must NOT have unevaluated properties ("foo")`. */
export function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const p = error.params as Record<string, unknown>;
  const extra =
    p.additionalProperty !== undefined
      ? ` ("${String(p.additionalProperty)}")`
      : p.unevaluatedProperty !== undefined
        ? ` ("${String(p.unevaluatedProperty)}")`
        : Array.isArray(p.allowedValues)
          ? ` (${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
          : '';
  return `${where}: ${error.message ?? 'is not valid'}${extra}`;
}

/**
 * Validates a parsed document against one ninjs version; throws a ValidationError whose
 * message names the version, the JSON pointer and the schema's reason.
 */
export function assertValidNinjs(doc: unknown, version: NinjsVersion): void {
  const validate = ninjsValidator(version);
  if (validate(doc)) return;
  const errors = validate.errors ?? [];
  const issues = errors.map((e) => ({ path: e.instancePath || '/', message: describeSchemaError(e) }));
  const first = issues[0]?.message ?? 'does not match the schema';
  throw new ValidationError(`Not valid ninjs ${version}: ${first}`, issues);
}
