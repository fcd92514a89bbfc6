import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast } from '../domain/accounts/access.ts';
import { addNoteThread, deleteNote, listNoteThreads, replyToNote, setNoteResolved } from '../domain/desk/editorial-notes.ts';
import { NotFoundError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { errorReply, publicErrorFor } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { storyNotesPanel } from './views/story-notes-panel.ts';
import { handleStoryForm, storyIdParam } from './workflow-forms.ts';

type NoteRequest = FastifyRequest<{ Params: { id: string; noteId?: string } }>;

function noteIdParam(req: NoteRequest): string {
  const id = req.params.noteId;
  if (!id || !isId(id)) throw new NotFoundError('There is no such note on this story.');
  return id;
}

/** The script sends forms with `accept: application/json` and stays on the page; a plain form goes back to the editor. */
const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/json');

/**
 * Editorial notes on a story (`/stories/:id/desk-notes…`): the sidebar fragment and its
 * forms. Roles and CSRF come from the newsroom's one guard; who may do what is the domain's.
 */
export function registerStoryNotesRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get<{ Params: { id: string } }>('/stories/:id/desk-notes', { config: { access: 'contributor' } }, async (req, reply) => {
    const actor = actorOf(req);
    const id = storyIdParam(req);
    const threads = await listNoteThreads(deps, actor, id);
    const panel = storyNotesPanel({
      articleId: id,
      threads,
      csrfToken: req.newsroomSession!.csrfToken,
      userId: actor.userId,
      isEditor: roleAtLeast(actor.role, 'editor'),
    });
    return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(String(panel));
  });

  function noteForm(path: string, run: (req: NoteRequest, id: string, fields: Record<string, string>) => Promise<unknown>) {
    app.post<{ Params: { id: string; noteId?: string } }>(path, { config: { access: 'contributor' } }, async (req, reply: FastifyReply) => {
      if (!wantsJson(req)) {
        return handleStoryForm(ctx, req, reply, async (id, f) => {
          await run(req, id, f);
          return 'note-saved';
        });
      }
      try {
        await run(req, storyIdParam(req), formFields(req));
        return reply.send({ ok: true });
      } catch (err) {
        const { code, message, ...e } = publicErrorFor(req, err);
        return errorReply(reply, e).send({ error: code, message });
      }
    });
  }

  noteForm('/stories/:id/desk-notes', (req, id, f) => addNoteThread(deps, actorOf(req), id, f));
  noteForm('/stories/:id/desk-notes/:noteId/reply', (req, id, f) => replyToNote(deps, actorOf(req), id, noteIdParam(req), f));
  noteForm('/stories/:id/desk-notes/:noteId/resolve', (req, id) => setNoteResolved(deps, actorOf(req), id, noteIdParam(req), true));
  noteForm('/stories/:id/desk-notes/:noteId/reopen', (req, id) => setNoteResolved(deps, actorOf(req), id, noteIdParam(req), false));
  noteForm('/stories/:id/desk-notes/:noteId/delete', (req, id) => deleteNote(deps, actorOf(req), id, noteIdParam(req)));
}
