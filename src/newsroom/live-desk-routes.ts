import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { articlePath, type Article } from '../domain/articles/article.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { listAuthors } from '../domain/authors/author.ts';
import { markdownToDocument } from '../domain/documents/document-markdown.ts';
import { ERROR_CODES, ConflictError, NotFoundError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { findDeskEntry, listDeskEntries } from '../domain/live/live-desk.ts';
import { canOnEntry } from '../domain/live/live-entry-policy.ts';
import { entryBodyToMarkdown } from '../domain/live/live-entry-markdown.ts';
import { createLiveEntry, deleteLiveEntry, editLiveEntry } from '../domain/live/live-entry-service.ts';
import { sectionDirectory } from '../domain/sections/section-directory.ts';
import { versionedAsset } from '../http/assets.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { expectedRevisionField, storyIdParam } from './workflow-forms.ts';
import { newsroomErrorView } from './views/error-view.ts';
import { liveDeskEntriesList, liveDeskView, liveEntryEditView } from './views/live-desk-view.ts';

/*
 * The live desk (`/newsroom/stories/:id/live`): post entries in one action, act on them with
 * small forms (POST-redirect-GET, CSRF by the newsroom's stack), edit with the revision the
 * writer saw. A refused post or edit is shown again with the typed text kept.
 */

type StoryReq = FastifyRequest<{ Params: { id: string } }>;
type EntryReq = FastifyRequest<{ Params: { id: string; entryId: string } }>;

export function registerLiveDeskRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  let script: string | undefined;
  const scriptSrc = () => (script ??= versionedAsset('newsroom-live.js'));
  const deskPath = (id: string) => `/newsroom/stories/${id}/live`;

  async function storyOf(req: StoryReq): Promise<{ story: Article; publicPath: string }> {
    const story = await findArticleById(deps.db, storyIdParam(req));
    if (!story) throw new NotFoundError('There is no story at this address.');
    const section = await sectionDirectory(deps.db).byId(story.sectionId);
    return { story, publicPath: articlePath(section?.slug ?? 'unknown', story.slug) };
  }

  async function entryOf(req: EntryReq) {
    if (!isId(req.params.entryId)) throw new NotFoundError('There is no entry at this address.');
    const entry = await findDeskEntry(deps.db, req.params.entryId);
    if (!entry || entry.articleId !== req.params.id) throw new NotFoundError('That entry does not exist (it may have been deleted).');
    return entry;
  }

  async function desk(req: StoryReq, reply: FastifyReply, refusal?: { status: number; message: string; body: string }) {
    const { story, publicPath } = await storyOf(req);
    const actor = actorOf(req);
    const [entries, authors] = await Promise.all([listDeskEntries(deps.db, story.id), listAuthors(deps.db)]);
    const page = liveDeskView(ctx.chrome(req, reply), {
      story,
      publicPath,
      entries,
      authors,
      mayPublish: canOnEntry(actor, 'publish', story, null),
      scriptSrc: scriptSrc(),
      ...(refusal ? { refusal: { message: refusal.message, body: refusal.body } } : {}),
    });
    return ctx.send(reply, page, refusal?.status ?? 200);
  }

  function refused(req: FastifyRequest, reply: FastifyReply, err: unknown) {
    const { status, message } = formRefusalOrThrow(err, ERROR_CODES);
    return ctx.send(reply, newsroomErrorView(ctx.chrome(req, reply), status, message), status);
  }

  app.get<{ Params: { id: string } }>('/stories/:id/live', { config: { access: 'contributor' } }, async (req, reply) => desk(req, reply));

  // The entries column alone, for the desk's script to refresh when the stream says something changed.
  app.get<{ Params: { id: string } }>('/stories/:id/live/list', { config: { access: 'contributor' } }, async (req, reply) => {
    const { story } = await storyOf(req);
    const actor = actorOf(req);
    const list = liveDeskEntriesList(
      story.id,
      await listDeskEntries(deps.db, story.id),
      req.newsroomSession!.csrfToken,
      canOnEntry(actor, 'publish', story, null),
    );
    return reply.header('content-type', 'text/html; charset=utf-8').send(list.value);
  });

  app.post<{ Params: { id: string } }>('/stories/:id/live/coverage', { config: { access: 'author' } }, async (req, reply) => {
    const f = formFields(req);
    try {
      const id = storyIdParam(req);
      const endAt = f.endNow === 'true' ? deps.clock().toISOString() : f.endAt?.trim() || null;
      await setLiveCoverage(deps, actorOf(req), id, { live: f.live === 'true', endAt }, expectedRevisionField(f));
      return reply.redirect(deskPath(id), 303);
    } catch (err) {
      return refused(req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/stories/:id/live/entries', { config: { access: 'contributor' } }, async (req, reply) => {
    const f = formFields(req);
    const id = storyIdParam(req);
    try {
      await createLiveEntry(deps, actorOf(req), id, {
        body: markdownToDocument(f.body ?? ''),
        authorIds: f.authorId ? [f.authorId] : [],
        keyEvent: f.keyEvent === 'true',
        pinned: f.pinned === 'true',
        publish: f.action !== 'draft',
      });
      return reply.redirect(deskPath(id), 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ERROR_CODES);
      return desk(req, reply, { status, message, body: f.body ?? '' });
    }
  });

  app.get<{ Params: { id: string; entryId: string } }>(
    '/stories/:id/live/entries/:entryId/edit',
    { config: { access: 'contributor' } },
    async (req, reply) => {
      const { story } = await storyOf(req);
      const entry = await entryOf(req);
      return ctx.send(
        reply,
        liveEntryEditView(ctx.chrome(req, reply), {
          story,
          entry,
          text: entryBodyToMarkdown(entry.body),
          correctionNote: '',
          expectedRevision: entry.revision,
          scriptSrc: scriptSrc(),
        }),
      );
    },
  );

  app.post<{ Params: { id: string; entryId: string } }>(
    '/stories/:id/live/entries/:entryId/edit',
    { config: { access: 'contributor' } },
    async (req, reply) => {
      const f = formFields(req);
      const { story } = await storyOf(req);
      const entry = await entryOf(req);
      const note = f.correctionNote?.trim() ?? '';
      try {
        await editLiveEntry(deps, actorOf(req), entry.id, {
          expectedRevision: expectedRevisionField(f),
          body: markdownToDocument(f.body ?? ''),
          ...(note ? { correctionNote: note } : {}),
        });
        return reply.redirect(deskPath(story.id), 303);
      } catch (err) {
        const { status, message } = formRefusalOrThrow(err, ERROR_CODES);
        // A conflict shows the entry as it is now beside the kept text; saving again then goes over it knowingly.
        const conflict = err instanceof ConflictError;
        return ctx.send(
          reply,
          liveEntryEditView(ctx.chrome(req, reply), {
            story,
            entry,
            text: f.body ?? '',
            correctionNote: note,
            expectedRevision: conflict ? entry.revision : Number(f.expectedRevision) || entry.revision,
            refusal: message,
            ...(conflict ? { current: entry } : {}),
            scriptSrc: scriptSrc(),
          }),
          status,
        );
      }
    },
  );

  const entryAction = (name: string, run: (req: EntryReq, f: Record<string, string>, entryId: string) => Promise<unknown>) =>
    app.post<{ Params: { id: string; entryId: string } }>(
      `/stories/:id/live/entries/:entryId/${name}`,
      { config: { access: 'contributor' } },
      async (req, reply) => {
        const f = formFields(req);
        try {
          const entry = await entryOf(req);
          await run(req, f, entry.id);
          return reply.redirect(deskPath(req.params.id), 303);
        } catch (err) {
          return refused(req, reply, err);
        }
      },
    );
  entryAction('publish', (req, f, id) =>
    editLiveEntry(deps, actorOf(req), id, { expectedRevision: expectedRevisionField(f), publish: true }),
  );
  entryAction('flags', (req, f, id) =>
    editLiveEntry(deps, actorOf(req), id, {
      expectedRevision: expectedRevisionField(f),
      ...(f.pinned ? { pinned: f.pinned === 'true' } : {}),
      ...(f.keyEvent ? { keyEvent: f.keyEvent === 'true' } : {}),
    }),
  );
  entryAction('delete', (req, f, id) => deleteLiveEntry(deps, actorOf(req), id, expectedRevisionField(f)));
}
