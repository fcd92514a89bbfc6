/*
 * Summarises a V8 .cpuprofile (from the inspector's Profiler domain or `node --cpu-prof`):
 * self time per function and per module/package, ranked.
 */
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  functions: HotSpot[];
  modules: HotSpot[];
  /** Self time grouped coarsely: Masthead src, each npm package, node internals, GC, native. */
  groups: HotSpot[];
  /** Inclusive (total) time of Masthead's own src/ functions: where the time goes by feature. */
  srcInclusive: HotSpot[];
  /** Inclusive time per npm package / group (a sample counts once per group on its stack). */
  groupsInclusive: HotSpot[];
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function moduleOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
    return '(native / V8 builtins)';
  }
  let p = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    const file = rest.slice(rest[0]!.startsWith('@') ? 2 : 1).join('/');
    return `${pkg} (${file})`;
  }
  if (p.startsWith(ROOT + '/')) p = p.slice(ROOT.length + 1);
  // The bench runs compiled JavaScript (dist/src/…): group it with src/ so the src tables fill.
  if (p.startsWith('dist/')) p = p.slice('dist/'.length);
  return p;
}

function groupOf(module: string): string {
  if (module.startsWith('(')) return module;
  if (module.startsWith('node:')) return 'node core (JS)';
  if (module.startsWith('src/')) return 'masthead src/';
  const m = /^(@[^/]+\/[^ ]+|[^ ]+) \(/.exec(module);
  return m ? `npm: ${m[1]}` : module;
}

function rank(map: Map<string, number>, busyMs: number, limit: number): HotSpot[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyMs ? us / 1000 / busyMs : 0 }));
}

export function summariseProfile(profile: CpuProfile, limit = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time *before* sample i; attribute the gap after each sample to it.
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  /** The module of the nearest ancestor with a script URL (who called into native code). */
  const callerModule = (id: number): string => {
    for (let cur = parentOf.get(id); cur !== undefined; cur = parentOf.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      if (cf.url) return moduleOf(cf.url, cf.functionName);
    }
    return '?';
  };
  const fnMap = new Map<string, number>();
  const modMap = new Map<string, number>();
  const groupMap = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const mod = moduleOf(url, functionName);
    const native = !url && !functionName.startsWith('(');
    const caller = native ? callerModule(id) : '';
    const fn = url
      ? `${functionName || '(anonymous)'}  ${mod}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}`
      : native
        ? `${functionName || '(anonymous)'} [native, called from ${caller}]`
        : functionName;
    fnMap.set(fn, (fnMap.get(fn) ?? 0) + us);
    modMap.set(mod, (modMap.get(mod) ?? 0) + us);
    const g = native ? `native ← ${groupOf(caller)}` : groupOf(mod);
    groupMap.set(g, (groupMap.get(g) ?? 0) + us);
  }
  const busyMs = (total - idle) / 1000;

  // Inclusive times: walk each sampled node's ancestors once.
  const parent = parentOf;
  const srcIncl = new Map<string, number>();
  const groupIncl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seenFn = new Set<string>();
    const seenGroup = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = byId.get(cur)!.callFrame;
      if (functionName === '(root)') break;
      const mod = moduleOf(url, functionName);
      seenGroup.add(groupOf(mod));
      if (mod.startsWith('src/')) seenFn.add(`${functionName || '(anonymous)'}  ${mod}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}`);
    }
    for (const k of seenFn) srcIncl.set(k, (srcIncl.get(k) ?? 0) + us);
    for (const k of seenGroup) groupIncl.set(k, (groupIncl.get(k) ?? 0) + us);
  }
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    busyMs,
    functions: rank(fnMap, busyMs, limit),
    modules: rank(modMap, busyMs, limit),
    groups: rank(groupMap, busyMs, limit),
    srcInclusive: rank(srcIncl, busyMs, limit),
    groupsInclusive: rank(groupIncl, busyMs, limit),
  };
}
