import type { FastifyInstance } from 'fastify';
import type { NewsroomContext } from './newsroom-context.ts';
import { registerAuthorAdminRoutes } from './taxonomy-authors-routes.ts';
import { registerSectionAdminRoutes } from './taxonomy-sections-routes.ts';
import { registerTagAdminRoutes } from './taxonomy-tags-routes.ts';

/** `/newsroom/sections`, `/newsroom/tags`, `/newsroom/authors`: editors manage the taxonomy. */
export function registerTaxonomyRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  registerSectionAdminRoutes(app, ctx);
  registerTagAdminRoutes(app, ctx);
  registerAuthorAdminRoutes(app, ctx);
}
