import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { TEST_PASSWORD } from './account-factories.ts';
import type { TestSite } from './test-site.ts';

/** The origin createTestSite configures; forms posted by NewsroomClient claim it. */
export const TEST_ORIGIN = 'https://news.example.test';

/**
 * A tiny browser for injected newsroom requests: keeps cookies between requests, reads the
 * CSRF field from pages, posts forms or JSON the way our own pages do.
 */
export class NewsroomClient {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly site: Pick<TestSite, 'app'>,
    readonly ip = '203.0.113.7',
  ) {}

  async request(
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.send(
      method,
      url,
      form ? { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN, ...headers } : headers,
      form ? new URLSearchParams(form).toString() : undefined,
    );
  }

  /** Sends a JSON body with the session's CSRF token in the `x-csrf-token` header (as fetch() from our pages does). */
  async json(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body: unknown,
    csrfToken: string,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.send(
      method,
      url,
      { 'content-type': 'application/json', accept: 'application/json', origin: TEST_ORIGIN, 'x-csrf-token': csrfToken, ...headers },
      JSON.stringify(body),
    );
  }

  async send(method: string, url: string, headers: Record<string, string>, payload?: string | Buffer): Promise<LightMyRequestResponse> {
    const res = await this.site.app.inject({
      method: method as 'GET',
      url,
      remoteAddress: this.ip,
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request('GET', url, undefined, headers);
  }

  /** GETs the page holding the form, then posts it with the page's CSRF token. */
  async submit(
    pageUrl: string,
    action: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    return this.request('POST', action, { _csrf: csrfFrom(page.body), ...fields }, headers);
  }

  /** The session's CSRF token, read from a newsroom page (the dashboard by default). */
  async csrfToken(pageUrl = '/newsroom'): Promise<string> {
    return csrfFrom((await this.get(pageUrl)).body);
  }

  login(email: string, password = TEST_PASSWORD) {
    return this.submit('/newsroom/login', '/newsroom/login', { email, password });
  }
}

export function csrfFrom(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  assert.ok(m, 'page has a CSRF field');
  return m[1]!;
}

/** A client from `ip` signed in as `user`; fails the test if the sign-in does not succeed. */
export async function signedInClient(site: Pick<TestSite, 'app'>, user: { email: string }, ip?: string): Promise<NewsroomClient> {
  const c = new NewsroomClient(site, ip);
  assert.equal((await c.login(user.email)).statusCode, 303, `${user.email} signs in`);
  return c;
}

/** One signed-in client per user, keyed by user id, from addresses `203.0.113.<firstHost + i>` (each its own throttle). */
export async function signedInClients(
  site: Pick<TestSite, 'app'>,
  users: ReadonlyArray<{ id: string; email: string }>,
  firstHost = 40,
): Promise<Map<string, NewsroomClient>> {
  const clients = new Map<string, NewsroomClient>();
  for (const [i, u] of users.entries()) clients.set(u.id, await signedInClient(site, u, `203.0.113.${firstHost + i}`));
  return clients;
}
