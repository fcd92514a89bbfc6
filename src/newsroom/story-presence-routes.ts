import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { heartbeat, leaveStory, takeOverLock } from '../domain/presence/story-presence.ts';
import { errorReply, publicErrorFor } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { storyIdParam } from './workflow-forms.ts';

/*
 * The editor's presence calls (public/newsroom-presence.js): heartbeat and takeover are JSON
 * with the session's CSRF token in the header, like the autosave; leaving is a form-encoded
 * beacon (sendBeacon cannot set headers) carrying the token as `_csrf`. Answers are JSON, also
 * for refusals, and `no-store` like every newsroom answer.
 */

type WithId = FastifyRequest<{ Params: { id: string } }>;

function beatFrom(req: FastifyRequest): { clientId?: unknown; field?: unknown } {
  const body = req.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    return { clientId: b.clientId, field: b.field ?? '' };
  }
  return {};
}

async function answer(req: FastifyRequest, reply: FastifyReply, run: () => Promise<unknown>) {
  try {
    const result = await run();
    return result === undefined ? reply.code(204).send() : reply.send(result);
  } catch (err) {
    const { code, message, ...e } = publicErrorFor(req, err);
    return errorReply(reply, e).send({ error: code, message });
  }
}

export function registerStoryPresenceRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  const opts = { config: { access: 'contributor' as const }, bodyLimit: 4096 };

  app.post<{ Params: { id: string } }>('/stories/:id/presence', opts, async (req: WithId, reply) =>
    answer(req, reply, () => heartbeat(deps, actorOf(req), storyIdParam(req), beatFrom(req))),
  );

  app.post<{ Params: { id: string } }>('/stories/:id/presence/takeover', opts, async (req: WithId, reply) =>
    answer(req, reply, () => takeOverLock(deps, actorOf(req), storyIdParam(req), beatFrom(req))),
  );

  app.post<{ Params: { id: string } }>('/stories/:id/presence/leave', opts, async (req: WithId, reply) =>
    answer(req, reply, () => leaveStory(deps, actorOf(req), storyIdParam(req), { clientId: formFields(req).clientId ?? '' })),
  );
}
