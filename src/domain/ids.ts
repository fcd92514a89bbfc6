import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids keep B-tree inserts local on both databases. */
export function newId(): string {
  return uuidv7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID_RE.test(value);
}
