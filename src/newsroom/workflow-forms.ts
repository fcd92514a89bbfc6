import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, NotFoundError, ValidationError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { setFlash, type FlashCode } from './flash.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { workflowErrorView } from './views/workflow-error-view.ts';

/* What the story forms of the workflow screens share: the id, the way back, the revision check. */

/** The story id from the path; anything but an id is simply not a page. */
export function storyIdParam(req: FastifyRequest<{ Params: { id: string } }>): string {
  const { id } = req.params;
  if (!isId(id)) throw new NotFoundError('There is no story at this address.');
  return id;
}

/** Where to go back after a story form: its own `returnTo` if it names a page of this story, else the editor. */
export function storyReturnPath(id: string, returnTo: string | undefined): string {
  const base = `/newsroom/stories/${id}`;
  return returnTo === base || returnTo === `${base}/history` ? returnTo : base;
}

/** `expectedRevision` from a form: required, so a stale page can never act blindly. */
export function expectedRevisionField(f: Record<string, string>): number {
  const n = Number(f.expectedRevision);
  if (!f.expectedRevision || !Number.isInteger(n) || n < 1) {
    throw new ValidationError('expectedRevision: the form is missing the revision you loaded; reload the page and try again.', [
      { path: 'expectedRevision', message: 'required' },
    ]);
  }
  return n;
}

/**
 * Runs a story form's action. Success: flash and 303 back to the story. A refusal: the
 * status (400, 403, 404, 409) and its message on a page that links back to the story.
 */
export async function handleStoryForm(
  ctx: NewsroomContext,
  req: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
  run: (id: string, fields: Record<string, string>) => Promise<FlashCode>,
): Promise<FastifyReply> {
  const id = storyIdParam(req);
  const fields = formFields(req);
  const back = storyReturnPath(id, fields.returnTo);
  try {
    const flash = await run(id, fields);
    setFlash(reply, ctx.deps.config, flash);
    return reply.redirect(back, 303);
  } catch (err) {
    const { status, message } = formRefusalOrThrow(err, ERROR_CODES);
    return ctx.send(reply, workflowErrorView(ctx.chrome(req, reply), status, message, back), status);
  }
}
