import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isId } from '../../domain/ids.ts';
import { formRefusalOrThrow } from '../../http/errors.ts';
import { findCommentableArticle, getReaderThreadState, listOwnEditableComments } from '../../domain/comments/comment-thread.ts';
import { stateOf } from '../../domain/comments/comment-article.ts';
import { createLoginThrottle } from '../../domain/accounts/login-throttle.ts';
import { tooManyAttemptsMessage } from '../../domain/rate-limits/rate-limiter.ts';
import {
  authenticateReader,
  resendVerification,
  signUpReader,
  verificationRequired,
  verifyReaderEmail,
} from '../../domain/readers/reader-service.ts';
import { createReaderSession, endReaderSession } from '../../domain/readers/reader-sessions.ts';
import { formFields } from '../../http/form-security.ts';
import { clearSessionCookie, setSessionCookie } from '../../http/session-cookie.ts';
import { accountView, messageView, signInView, signUpView } from '../views/comments-reader-view.ts';
import type { CommentsContext } from './comments-context.ts';
import { formCsrfToken, READER_COOKIE, safeReaderNext } from './reader-auth.ts';

/** Readers share addresses (homes, mobile carriers) more than a newsroom does: a higher per-IP limit. */
const READER_LOGIN_LIMITS = { perAccount: 5, perIp: 30, windowMs: 15 * 60 * 1000 };
const SIGNUP_IP_LIMIT = { max: 5, windowMs: 60 * 60 * 1000 };

/** Sign-up, sign-in and out, email verification, the account page and the JS session probe. */
export function registerReaderRoutes(app: FastifyInstance, ctx: CommentsContext): void {
  const { deps, limiter } = ctx;
  const throttle = createLoginThrottle(limiter, READER_LOGIN_LIMITS, 'reader-login');
  const config = deps.config;
  const site = { siteUrl: config.siteUrl, siteName: config.siteName };
  const query = (req: FastifyRequest) => (req.query ?? {}) as Record<string, unknown>;
  // A reader page under `/fr/comments/…` speaks its edition's language.
  const chromeOf = async (req: FastifyRequest) => ctx.chrome(await ctx.editions?.view(req));
  // …and leads on to the reader pages at the same edition's address.
  const at = async (req: FastifyRequest, path: string) => `${(await ctx.editions?.view(req))?.basePath ?? ''}${path}`;

  const startSession = async (req: FastifyRequest, reply: FastifyReply, readerId: string) => {
    const { token } = await createReaderSession(deps, readerId, { ip: req.ip, userAgent: req.headers['user-agent'] });
    setSessionCookie(reply, config, READER_COOKIE, token);
  };

  app.get('/comments/signup', async (req, reply) => {
    const next = safeReaderNext(query(req).next);
    if (req.readerSession) return reply.redirect(next ?? (await at(req, '/comments/account')), 303);
    return ctx.send(
      reply,
      signUpView(await chromeOf(req), { csrfToken: formCsrfToken(req, reply, config), next, verificationOn: verificationRequired(deps) }),
    );
  });

  app.post('/comments/signup', { config: { readerCsrf: 'form' } }, async (req, reply) => {
    const f = formFields(req);
    const next = safeReaderNext(f.next);
    const again = async (status: number, error: string) =>
      ctx.send(
        reply,
        signUpView(await chromeOf(req), {
          csrfToken: formCsrfToken(req, reply, config),
          next,
          error,
          displayName: f.displayName,
          email: f.email,
          verificationOn: verificationRequired(deps),
        }),
        status,
      );
    // A filled honeypot is a bot: answer like a refusal that teaches it nothing.
    if (f.website) return again(400, (await chromeOf(req)).m.text('reader.signUpFailed'));
    const gate = await limiter.consume(`signup:ip:${req.ip}`, SIGNUP_IP_LIMIT);
    if (!gate.ok) return again(429, tooManyAttemptsMessage(gate.retryAfterMs));
    try {
      const { reader, verificationSent } = await signUpReader(
        deps,
        { displayName: f.displayName ?? '', email: f.email ?? '', password: f.password ?? '' },
        { ...site, ip: req.ip },
      );
      await startSession(req, reply, reader.id);
      return reply.redirect(next ?? (await at(req, `/comments/account?notice=${verificationSent ? 'verify' : 'welcome'}`)), 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed', 'conflict']);
      return again(status, message);
    }
  });

  app.get('/comments/signin', async (req, reply) => {
    const next = safeReaderNext(query(req).next);
    if (req.readerSession) return reply.redirect(next ?? (await at(req, '/comments/account')), 303);
    const chrome = await chromeOf(req);
    const notice = query(req).notice === 'signed-out' ? chrome.m.text('reader.signedOut') : undefined;
    return ctx.send(reply, signInView(chrome, { csrfToken: formCsrfToken(req, reply, config), next, notice }));
  });

  app.post('/comments/signin', { config: { readerCsrf: 'form' } }, async (req, reply) => {
    const f = formFields(req);
    const next = safeReaderNext(f.next);
    const email = (f.email ?? '').trim().toLowerCase().slice(0, 254);
    const again = async (status: number, error: string) =>
      ctx.send(reply, signInView(await chromeOf(req), { csrfToken: formCsrfToken(req, reply, config), next, error, email }), status);
    const key = { email, ip: req.ip };
    const waitMs = await throttle.retryAfterMs(key);
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return again(429, tooManyAttemptsMessage(waitMs));
    }
    const reader = await authenticateReader(deps, { email, password: f.password ?? '' });
    if (!reader) {
      // The attempt that reaches the limit is still answered as a wrong password; the next is refused.
      await throttle.recordFailure(key);
      return again(401, (await chromeOf(req)).m.text('reader.wrongPassword'));
    }
    await throttle.recordSuccess(key);
    await startSession(req, reply, reader.id);
    return reply.redirect(next ?? (await at(req, '/comments/account')), 303);
  });

  app.post('/comments/signout', async (req, reply) => {
    await endReaderSession(deps, req.cookies[READER_COOKIE.name] ?? '');
    clearSessionCookie(reply, config, READER_COOKIE);
    return reply.redirect(await at(req, '/comments/signin?notice=signed-out'), 303);
  });

  app.get('/comments/verify', async (req, reply) => {
    const token = query(req).token;
    const reader = typeof token === 'string' ? await verifyReaderEmail(deps, token) : null;
    const chrome = await chromeOf(req);
    const { m } = chrome;
    if (!reader)
      return ctx.send(
        reply,
        messageView(chrome, m.text('reader.linkFailedTitle'), m.text('reader.linkFailed'), {
          href: '/comments/account',
          label: m.text('reader.accountTitle'),
        }),
        400,
      );
    return ctx.send(reply, messageView(chrome, m.text('reader.confirmedTitle'), m.text('reader.confirmed')));
  });

  app.post('/comments/verify/resend', async (req, reply) => {
    await resendVerification(deps, req.readerSession!.reader.id, site);
    return reply.redirect(await at(req, '/comments/account?notice=verify'), 303);
  });

  app.get('/comments/account', async (req, reply) => {
    const s = req.readerSession;
    if (!s) return reply.redirect(await at(req, '/comments/signin'), 303);
    const chrome = await chromeOf(req);
    const noticeKey = ({ verify: 'reader.noticeVerify', welcome: 'reader.noticeWelcome' } as const)[String(query(req).notice) as 'verify'];
    const notice = noticeKey ? chrome.m.text(noticeKey) : undefined;
    const recent = await listOwnEditableComments(deps, s.reader.id);
    return ctx.send(
      reply,
      accountView(chrome, {
        reader: s.reader,
        csrfToken: s.csrfToken,
        banned: s.banned,
        verificationOn: verificationRequired(deps),
        notice,
        recent,
      }),
    );
  });

  // comments.js asks who is reading (never cached): sign-in state, the CSRF token for fetch(),
  // which comments this reader liked and which of theirs they can still edit.
  app.get('/comments/session', async (req, reply) => {
    const s = req.readerSession;
    const articleId = query(req).article;
    const ids = typeof query(req).ids === 'string' ? String(query(req).ids).split(',').filter(isId).slice(0, 500) : [];
    const article = typeof articleId === 'string' && isId(articleId) ? await findCommentableArticle(deps.db, articleId) : null;
    const state = article ? stateOf(article, deps.clock(), config.comments.closeAfterDays) : null;
    const base = {
      open: state?.kind === 'open',
      moderated: state?.kind === 'open' && state.moderated,
      verificationRequired: verificationRequired(deps),
    };
    // Signed out: no token and no cookie (the thread page's visitors stay cookie-less).
    if (!s) return reply.send({ signedIn: false, ...base });
    const own = article ? await getReaderThreadState(deps, s.reader.id, article.id, ids) : { liked: [], editable: [] };
    return reply.send({
      signedIn: true,
      ...base,
      reader: { displayName: s.reader.displayName, verified: s.reader.emailVerified, banned: s.banned },
      csrfToken: s.csrfToken,
      ...own,
    });
  });
}
