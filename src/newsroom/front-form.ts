import type { FastifyRequest } from 'fastify';
import type { ArrangementInput, Arrangement } from '../domain/fronts/front-arrangement.ts';

/*
 * The arranging page is one form: every pin is a hidden field named after its slot
 * (`pins.lead`, `pins.top`, `pins.b0`…) in the order shown, so the browser sends the editor's
 * order as is, whether the list was reordered by script or by the page's own buttons. The
 * buttons (`op`) work without script: the server applies the step to what was sent and shows
 * the page again, unsaved, until one of save, publish or schedule.
 */

/** The arrangement as the form holds it: anything typed, unvalidated until it is saved. */
export interface FrontFormState {
  lead: string[];
  top: { size: string; pins: string[] };
  blocks: Array<{ title: string; size: string; tagId: string; pins: string[] }>;
}

/** What the page's buttons ask for. */
export type FrontFormOp =
  | { kind: 'save' | 'publish' | 'schedule' | 'preview' | 'search' | 'add-block' }
  | { kind: 'up' | 'down' | 'remove'; slot: string; index: number }
  | { kind: 'add'; id: string }
  | { kind: 'remove-block'; index: number };

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** The form's arrangement and its button, from the raw body (repeated fields are arrays). */
export function readFrontForm(req: FastifyRequest): { state: FrontFormState; op: FrontFormOp | null } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const titles = list(body['blocks.title']);
  const sizes = list(body['blocks.size']);
  const tags = list(body['blocks.tag']);
  const state: FrontFormState = {
    lead: list(body['pins.lead']),
    top: { size: list(body['top.size'])[0] ?? '', pins: list(body['pins.top']) },
    blocks: titles.map((title, i) => ({ title, size: sizes[i] ?? '', tagId: tags[i] ?? '', pins: list(body[`pins.b${i}`]) })),
  };
  return { state, op: parseOp(list(body.op)[0] ?? '') };
}

function parseOp(raw: string): FrontFormOp | null {
  if (['save', 'publish', 'schedule', 'preview', 'search', 'add-block'].includes(raw))
    return { kind: raw as 'save' | 'publish' | 'schedule' | 'preview' | 'search' | 'add-block' };
  const move = /^(up|down|remove):(lead|top|b\d{1,2}):(\d{1,3})$/.exec(raw);
  if (move) return { kind: move[1] as 'up' | 'down' | 'remove', slot: move[2]!, index: Number(move[3]) };
  const add = /^add:([A-Za-z0-9-]{1,64})$/.exec(raw);
  if (add) return { kind: 'add', id: add[1]! };
  const removeBlock = /^remove-block:(\d{1,2})$/.exec(raw);
  if (removeBlock) return { kind: 'remove-block', index: Number(removeBlock[1]) };
  return null;
}

function slotPins(state: FrontFormState, slot: string): string[] | undefined {
  if (slot === 'lead') return state.lead;
  if (slot === 'top') return state.top.pins;
  return state.blocks[Number(slot.slice(1))]?.pins;
}

/** Applies a step that changes only the form (reorder, remove, add a pin or a block); the state is changed in place. */
export function applyFormStep(state: FrontFormState, op: FrontFormOp, target: string): void {
  switch (op.kind) {
    case 'up':
    case 'down':
    case 'remove': {
      const pins = slotPins(state, op.slot);
      if (!pins || op.index >= pins.length) return;
      const [id] = pins.splice(op.index, 1);
      if (op.kind !== 'remove') pins.splice(Math.max(0, Math.min(pins.length, op.index + (op.kind === 'up' ? -1 : 1))), 0, id!);
      return;
    }
    case 'add': {
      // A story is in one place: adding it elsewhere moves it.
      for (const pins of [state.lead, state.top.pins, ...state.blocks.map((b) => b.pins)]) {
        const at = pins.indexOf(op.id);
        if (at >= 0) pins.splice(at, 1);
      }
      const pins = slotPins(state, target) ?? state.top.pins;
      // The lead holds one story: a new one replaces it.
      if (pins === state.lead) pins.length = 0;
      pins.push(op.id);
      return;
    }
    case 'add-block':
      state.blocks.push({ title: '', size: '4', tagId: '', pins: [] });
      return;
    case 'remove-block':
      state.blocks.splice(op.index, 1);
      return;
    case 'save':
    case 'publish':
    case 'schedule':
    case 'preview':
    case 'search':
      return;
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** A number field: empty means the default; anything else is checked by the schema. */
const formNumber = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v.trim()));

/** The form's state as the service's input (validated there). */
export function formToArrangement(state: FrontFormState): ArrangementInput {
  return {
    lead: { pins: state.lead },
    top: { size: formNumber(state.top.size), pins: state.top.pins },
    blocks: state.blocks.map((b) => ({ title: b.title, size: formNumber(b.size), pins: b.pins, tagId: b.tagId || null })),
  };
}

/** A stored arrangement as the form shows it. */
export function arrangementToForm(a: Arrangement): FrontFormState {
  return {
    lead: [...a.lead.pins],
    top: { size: String(a.top.size), pins: [...a.top.pins] },
    blocks: a.blocks.map((b) => ({ title: b.title, size: String(b.size), tagId: b.tagId ?? '', pins: [...b.pins] })),
  };
}
