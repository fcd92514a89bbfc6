import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { RateLimitedError } from '../domain/errors.ts';
import type { RateLimiter } from '../domain/rate-limits/rate-limiter.ts';
import type { ApiAuth } from './api-route.ts';

const MINUTE = 60_000;

export interface ApiRateLimits {
  /** Content API requests per client IP per minute; 0: unlimited. */
  contentPerMinute: number;
  /** Admin API requests per API token per minute; 0: unlimited. */
  adminPerMinute: number;
}

/** Checks one API request against its limit; throws `RateLimitedError` (429 + Retry-After) when over. */
export type ApiRateCheck = (req: FastifyRequest, auth: ApiAuth, principal: ApiPrincipal | null) => Promise<void>;

/**
 * The APIs' limits, counted in the one shared limiter (so nodes sharing Redis share them): the
 * Admin API per token (a script with a token is one client wherever it runs), the Content API
 * per client address (readers' apps call it without a token). Responses the page cache answers
 * before routing are not counted: they cost nothing to serve.
 */
export function apiRateCheck(limiter: RateLimiter, limits: ApiRateLimits): ApiRateCheck {
  return async (req, auth, principal) => {
    const admin = auth === 'admin';
    const max = admin ? limits.adminPerMinute : limits.contentPerMinute;
    if (max <= 0) return;
    const bucket = admin && principal ? `api-admin:token:${principal.tokenId}` : `api-content:ip:${req.ip}`;
    const d = await limiter.consume(bucket, { max, windowMs: MINUTE });
    if (d.ok) return;
    const seconds = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
    throw new RateLimitedError(
      admin
        ? `Too many requests with this API token: at most ${max} a minute. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
        : `Too many requests from your address: at most ${max} a minute. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      d.retryAfterMs,
    );
  };
}
