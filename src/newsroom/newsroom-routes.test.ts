import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../deps.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import type { User } from '../domain/accounts/user.ts';
import { seedStaff, seedUser, TEST_PASSWORD } from '../../test/support/account-factories.ts';
import { createTestDatabase, testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { csrfFrom, NewsroomClient, signedInClient, TEST_ORIGIN } from '../../test/support/newsroom-client.ts';

const ORIGIN = TEST_ORIGIN;
class Client extends NewsroomClient {}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: newsroom accounts over HTTP`, { skip }, () => {
    let site: TestSite;
    let admin: User;
    let contributor: User;

    before(async () => {
      site = await createTestSite(dialect);
      ({ admin, contributor } = await seedStaff(site.deps, {
        admin: ['admin', 'Ada Admin'],
        contributor: ['contributor', 'Carl <Contributor>'],
      }));
    });
    after(() => site?.close());

    it('signs in with the right password: session cookie is HttpOnly, SameSite=Lax, Secure, path /newsroom', async () => {
      const c = new Client(site);
      const form = await c.get('/newsroom/login');
      assert.equal(form.statusCode, 200);
      assert.match(form.headers['content-security-policy'] as string, /script-src 'self'/);
      assert.equal(form.headers['cache-control'], 'no-store');
      const res = await c.login(admin.email.toUpperCase());
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/newsroom');
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((h) => h.startsWith('masthead_session='));
      assert.ok(setCookie, 'session cookie set');
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Lax/);
      assert.match(setCookie, /Secure/);
      assert.match(setCookie, /Path=\/newsroom/);
      assert.match(setCookie, /Max-Age=1209600/);
      const dash = await c.get('/newsroom');
      assert.equal(dash.statusCode, 200);
      assert.match(dash.body, /Hello, Ada Admin/);
      assert.match(dash.body, /Administrator/);
    });

    it('refuses a wrong password with 401 and a clear message, and never a 500 for junk input', async () => {
      const c = new Client(site, '203.0.113.20');
      const res = await c.login(admin.email, 'wrong password entirely');
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /The email or password is incorrect/);
      assert.ok(!c.cookies.has('masthead_session'));
      const junk = await c.submit('/newsroom/login', '/newsroom/login', { email: 'not an email', password: '' });
      assert.equal(junk.statusCode, 401);
      const dashboard = await c.get('/newsroom');
      assert.equal(dashboard.statusCode, 303);
      assert.equal(dashboard.headers.location, '/newsroom/login');
    });

    it('redirects anonymous visitors to the login page, remembering where they were going', async () => {
      const c = new Client(site);
      const res = await c.get('/newsroom/account/password');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/newsroom/login?next=%2Fnewsroom%2Faccount%2Fpassword');
      const login = await c.get(res.headers.location);
      assert.match(login.body, /name="next" value="\/newsroom\/account\/password"/);
      const signedIn = await c.request('POST', '/newsroom/login', {
        _csrf: csrfFrom(login.body),
        email: contributor.email,
        password: TEST_PASSWORD,
        next: '/newsroom/account/password',
      });
      assert.equal(signedIn.headers.location, '/newsroom/account/password');
      const evil = await c.get('/newsroom/login?next=//evil.example/newsroom');
      assert.equal(evil.headers.location, '/newsroom', 'an already signed-in visitor goes to the dashboard, never off-site');
    });

    it('rejects a POST with a missing or wrong CSRF token, or from another origin, with 403', async () => {
      const c = await signedInClient(site, admin);
      const missing = await c.request('POST', '/newsroom/logout', {});
      assert.equal(missing.statusCode, 403);
      assert.match(missing.body, /did not come from this site/);
      const wrong = await c.request('POST', '/newsroom/logout', { _csrf: 'x'.repeat(43) });
      assert.equal(wrong.statusCode, 403);
      const page = await c.get('/newsroom');
      const crossSite = await c.request('POST', '/newsroom/logout', { _csrf: csrfFrom(page.body) }, { origin: 'https://evil.example' });
      assert.equal(crossSite.statusCode, 403);
      const loginWithoutToken = await new Client(site).request('POST', '/newsroom/login', { email: admin.email, password: TEST_PASSWORD });
      assert.equal(loginWithoutToken.statusCode, 403, 'the login form is protected too');
      const wrongHeader = await c.json('POST', '/newsroom/logout', {}, 'y'.repeat(43));
      assert.equal(wrongHeader.statusCode, 403, 'a wrong x-csrf-token header is refused like a wrong field');
      const crossSiteHeader = await c.json('POST', '/newsroom/logout', {}, csrfFrom(page.body), { origin: 'https://evil.example' });
      assert.equal(crossSiteHeader.statusCode, 403);
      assert.equal((await c.get('/newsroom')).statusCode, 200, 'still signed in after the refused requests');
      const viaHeader = await c.json('POST', '/newsroom/logout', {}, csrfFrom(page.body));
      assert.equal(viaHeader.statusCode, 303, 'fetch() from our pages may send the token as x-csrf-token');
      assert.equal((await c.get('/newsroom')).statusCode, 303, 'signed out');
    });

    it('enforces roles on the server: a contributor gets 403 on the user list and its actions', async () => {
      const c = await signedInClient(site, contributor);
      const list = await c.get('/newsroom/users');
      assert.equal(list.statusCode, 403);
      assert.match(list.body, /does not have access/);
      const dash = await c.get('/newsroom');
      assert.ok(!dash.body.includes('/newsroom/users'), 'no Users link for a contributor');
      assert.match(dash.body, /Carl &lt;Contributor&gt;/, 'names are escaped');
      const disable = await c.request('POST', `/newsroom/users/${admin.id}/disable`, { _csrf: csrfFrom(dash.body) });
      assert.equal(disable.statusCode, 403);
    });

    it('lets an admin disable a user, which signs them out at once; enabling lets them back in', async () => {
      const victim = await seedUser(site.deps, 'author', { name: 'Dora Disabled' });
      const victimClient = await signedInClient(site, victim, '203.0.113.30');
      assert.equal((await victimClient.get('/newsroom')).statusCode, 200);

      const a = await signedInClient(site, admin);
      const list = await a.get('/newsroom/users');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Dora Disabled/);
      const res = await a.submit('/newsroom/users', `/newsroom/users/${victim.id}/disable`, {});
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/newsroom/users');
      const after = await a.get('/newsroom/users');
      assert.match(after.body, /has been disabled/, 'flash message after the redirect');
      assert.ok(!(await a.get('/newsroom/users')).body.includes('has been disabled'), 'flash shows once');

      const kicked = await victimClient.get('/newsroom');
      assert.equal(kicked.statusCode, 303, 'the disabled user is signed out immediately');
      assert.equal(kicked.headers.location, '/newsroom/login');
      const relogin = await victimClient.login(victim.email);
      assert.equal(relogin.statusCode, 403);
      assert.match(relogin.body, /disabled/);

      await a.submit('/newsroom/users', `/newsroom/users/${victim.id}/enable`, {});
      assert.equal((await victimClient.login(victim.email)).statusCode, 303);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'user', subjectId: victim.id });
      assert.ok(audit.some((e) => e.action === 'user.disabled' && e.actorUserId === admin.id));
      assert.ok(audit.some((e) => e.action === 'user.enabled'));
    });

    it('answers unknown users and actions with 404, and refuses to disable yourself with 400', async () => {
      const a = await signedInClient(site, admin);
      assert.equal((await a.submit('/newsroom/users', '/newsroom/users/not-an-id/disable', {})).statusCode, 404);
      assert.equal((await a.submit('/newsroom/users', '/newsroom/users/0190a000-0000-7000-8000-000000000000/disable', {})).statusCode, 404);
      assert.equal((await a.submit('/newsroom/users', `/newsroom/users/${contributor.id}/delete`, {})).statusCode, 404);
      const self = await a.submit('/newsroom/users', `/newsroom/users/${admin.id}/disable`, {});
      assert.equal(self.statusCode, 400);
      assert.match(self.body, /cannot disable your own account/);
      assert.equal((await a.get('/newsroom/no-such-page')).statusCode, 404);
    });

    it('changes the password: needs the current one, checks length and confirmation, signs out other sessions', async () => {
      const user = await seedUser(site.deps, 'editor');
      const c = new Client(site, '203.0.113.40');
      const other = new Client(site, '203.0.113.41');
      await c.login(user.email);
      await other.login(user.email);
      const page = '/newsroom/account/password';
      const newPassword = 'a brand new passphrase';

      const wrongCurrent = await c.submit(page, page, { currentPassword: 'nope nope nope', newPassword, confirmPassword: newPassword });
      assert.equal(wrongCurrent.statusCode, 400);
      assert.match(wrongCurrent.body, /current password is incorrect/);
      const tooShort = await c.submit(page, page, { currentPassword: TEST_PASSWORD, newPassword: 'short', confirmPassword: 'short' });
      assert.equal(tooShort.statusCode, 400);
      assert.match(tooShort.body, /at least 12 characters/);
      const mismatch = await c.submit(page, page, { currentPassword: TEST_PASSWORD, newPassword, confirmPassword: `${newPassword}!` });
      assert.equal(mismatch.statusCode, 400);
      assert.match(mismatch.body, /do not match/);

      const ok = await c.submit(page, page, { currentPassword: TEST_PASSWORD, newPassword, confirmPassword: newPassword });
      assert.equal(ok.statusCode, 303);
      assert.match((await c.get(page)).body, /Your password has been changed/);
      assert.equal((await other.get('/newsroom')).statusCode, 303, 'the other session ended');
      assert.equal((await c.get('/newsroom')).statusCode, 200, 'this session continues');
      assert.equal((await new Client(site, '203.0.113.42').login(user.email, TEST_PASSWORD)).statusCode, 401);
      assert.equal((await new Client(site, '203.0.113.43').login(user.email, newPassword)).statusCode, 303);
    });

    it('logout ends the session on the server, not just in the browser', async () => {
      const c = await signedInClient(site, contributor, '203.0.113.50');
      const stolen = c.cookies.get('masthead_session')!;
      const res = await c.submit('/newsroom', '/newsroom/logout', {});
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/newsroom/login');
      assert.ok(!c.cookies.has('masthead_session'), 'cookie cleared');
      assert.match((await c.get('/newsroom/login')).body, /You have signed out/);
      const replay = await site.app.inject({ method: 'GET', url: '/newsroom', headers: { cookie: `masthead_session=${stolen}` } });
      assert.equal(replay.statusCode, 303, 'the old token no longer works');
    });

    it('throttles repeated failures: 429 with "Too many attempts, try again in N minutes", even with the right password', async () => {
      const target = await seedUser(site.deps, 'author');
      const c = new Client(site, '198.51.100.9');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await c.login(target.email, `wrong password ${i}`)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
      const blocked = await c.login(target.email);
      assert.equal(blocked.statusCode, 429);
      assert.match(blocked.body, /Too many attempts, try again in 15 minutes\./);
      assert.ok(Number(blocked.headers['retry-after']) > 800);
      // Another address is not affected by this one's failures.
      assert.equal((await new Client(site, '198.51.100.10').login(target.email)).statusCode, 303);
    });
  });
}

describe('login throttling shared through Redis by two app nodes', async () => {
  const redisUrl = process.env.MASTHEAD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { hostname, port } = new URL(redisUrl);
  const reachable = await new Promise<boolean>((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port || 6379) });
    s.setTimeout(2000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
  });
  if (!reachable && process.env.CI === 'true') throw new Error(`Redis not reachable at ${redisUrl}; CI must test the Redis limiter`);

  it(
    'failures on one node block the same email and address on the other',
    { skip: reachable ? false : `Redis not reachable at ${redisUrl}` },
    async () => {
      const db = await createTestDatabase('sqlite');
      const config = loadConfig({ MASTHEAD_REDIS_URL: redisUrl, MASTHEAD_SITE_URL: ORIGIN, LOG_LEVEL: 'silent' });
      const deps = await createDeps(config, { handle: db.handle });
      const nodeA = await buildApp(deps);
      const nodeB = await buildApp(deps);
      try {
        const user = await seedUser(deps, 'author');
        // A fresh address per run: the per-IP count outlives the test for 15 minutes.
        const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
        const a = new Client({ app: nodeA } as TestSite, ip);
        const b = new Client({ app: nodeB } as TestSite, ip);
        for (let i = 0; i < 4; i++) assert.equal((await (i % 2 ? b : a).login(user.email, 'wrong password here')).statusCode, 401);
        assert.equal((await a.login(user.email, 'wrong password here')).statusCode, 429);
        const blocked = await b.login(user.email);
        assert.equal(blocked.statusCode, 429);
        assert.match(blocked.body, /Too many attempts, try again in 15 minutes\./);
      } finally {
        await nodeA.close();
        await nodeB.close();
        await db.destroy();
      }
    },
  );
});
