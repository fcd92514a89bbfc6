import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { authenticateApiToken, type ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { UnauthorizedError } from '../domain/errors.ts';
import type { ApiAuth } from './api-route.ts';

const MISSING = 'Send an API token as "Authorization: Bearer mh_…". Administrators create tokens in the newsroom under API tokens.';
const INVALID = 'This API token is not valid: it is unknown, revoked or expired, or its owner was disabled.';

/**
 * Resolves `Authorization: Bearer <token>` for a route. Admin routes always need a valid
 * token; Content API routes need one only when MASTHEAD_CONTENT_API=token. A token that is
 * sent is always checked (a wrong token is a 401 even where none is needed, so a client
 * learns about its revoked token at once).
 */
export function apiAuthenticator(deps: Deps): (req: FastifyRequest, auth: ApiAuth) => Promise<ApiPrincipal | null> {
  return async (req, auth) => {
    const header = req.headers.authorization;
    if (header === undefined || header === '') {
      if (auth === 'admin' || deps.config.contentApi === 'token') throw new UnauthorizedError(MISSING);
      return null;
    }
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m) throw new UnauthorizedError(`${MISSING} (Other authorization schemes are not accepted.)`, true);
    const principal = await authenticateApiToken(deps, m[1]!);
    if (!principal) throw new UnauthorizedError(INVALID, true);
    return principal;
  };
}
