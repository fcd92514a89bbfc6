import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/*
 * Test-only: reads Prometheus text exposition with a real parser from npm
 * (parse-prometheus-text-format, a port of the official Python client's parser), never regexes.
 * That parser folds a histogram's series into one unlabelled entry (it was written for
 * unlabelled ones), so the document is parsed twice: as it is (every line must parse, and the
 * families' types are read), and once more with the histogram TYPE lines left out, which makes
 * each `_bucket`/`_sum`/`_count` series an untyped family the parser keeps with its labels.
 */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name → type (COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED). */
  types: Map<string, string>;
  /** Sample name (a histogram's `_bucket`, `_sum`, `_count` separately) → its series. */
  samples: Map<string, Sample[]>;
}

interface ParsedFamily {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

const parse = parsePrometheusTextFormat as unknown as (text: string) => ParsedFamily[];

export function parseExposition(text: string): Exposition {
  const types = new Map(parse(text).map((f) => [f.name, f.type]));
  const histograms = new Set([...types].filter(([, t]) => t === 'HISTOGRAM').map(([n]) => n));
  const flat = text
    .split('\n')
    .filter((line) => {
      const m = /^# TYPE (\S+) histogram$/.exec(line);
      return !(m && histograms.has(m[1]!));
    })
    .join('\n');
  const samples = new Map<string, Sample[]>();
  for (const family of parse(flat)) {
    const list = samples.get(family.name) ?? [];
    for (const m of family.metrics) if (m.value !== undefined) list.push({ labels: m.labels ?? {}, value: Number(m.value) });
    samples.set(family.name, list);
  }
  return { types, samples };
}

/** The value of the one series of `name` whose labels include `labels`; 0 when there is none yet. */
export function sampleValue(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const matching = (e.samples.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(matching.length <= 1, `${name} ${JSON.stringify(labels)} names one series, not ${matching.length}`);
  return matching[0]?.value ?? 0;
}
