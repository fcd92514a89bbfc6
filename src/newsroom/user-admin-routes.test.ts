import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import type { User } from '../domain/accounts/user.ts';
import { seedStaff, seedUser } from '../../test/support/account-factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { csrfFrom, NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';

/** The temporary password as the response page shows it (the readonly field). */
function temporaryPasswordFrom(body: string): string {
  const m = /id="temporary-password"[^>]*value="([A-Za-z0-9_-]{20})"/.exec(body);
  assert.ok(m, 'the page shows the temporary password');
  return m[1]!;
}

let ipCounter = 0;
const nextIp = () => `198.51.100.${++ipCounter}`;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: user administration over HTTP`, { skip }, () => {
    let site: TestSite;
    let admin: User;
    let editor: User;

    before(async () => {
      site = await createTestSite(dialect);
      ({ admin, editor } = await seedStaff(site.deps, { admin: ['admin', 'Ada Admin'], editor: ['editor', 'Eddie Editor'] }));
    });
    after(() => site?.close());

    const signedIn = (user: User) => signedInClient(site, user, nextIp());

    it('an admin creates a user; the temporary password is shown once, signs in, and forces the password page until changed', async () => {
      const a = await signedIn(admin);
      const form = await a.get('/newsroom/users/new');
      assert.equal(form.statusCode, 200);
      assert.ok(!/type="password"/.test(form.body), 'the admin never types a password');
      const res = await a.request('POST', '/newsroom/users', {
        _csrf: csrfFrom(form.body),
        email: 'Nina.New@Example.test',
        name: 'Nina <New>',
        role: 'author',
      });
      assert.equal(res.statusCode, 201);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /Nina &lt;New&gt;/);
      assert.match(res.body, /will not be shown again/);
      const temp = temporaryPasswordFrom(res.body);
      assert.ok(!([] as string[]).concat(res.headers['set-cookie'] ?? []).some((h) => h.includes(temp)), 'not in any cookie');

      const row = await site.deps.db.selectFrom('users').selectAll().where('email', '=', 'nina.new@example.test').executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(temp), 'only the hash is stored');
      assert.match(row.password_hash, /^scrypt\$/);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'user', subjectId: row.id });
      assert.ok(audit.some((e) => e.action === 'user.created' && e.actorUserId === admin.id));
      assert.ok(!JSON.stringify(audit).includes(temp), 'not in the audit details');
      assert.ok(!(await a.get('/newsroom/users')).body.includes(temp), 'not on the users page afterwards');

      const n = new NewsroomClient(site, nextIp());
      const login = await n.login('nina.new@example.test', temp);
      assert.equal(login.statusCode, 303);
      for (const path of ['/newsroom', '/newsroom/stories', '/newsroom/users']) {
        const r = await n.get(path);
        assert.equal(r.statusCode, 303, path);
        assert.equal(r.headers.location, '/newsroom/account/password', path);
      }
      const page = await n.get('/newsroom/account/password');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /temporary password/);
      const posted = await n.request('POST', '/newsroom/logout', { _csrf: 'x'.repeat(43) });
      assert.equal(posted.statusCode, 403, 'CSRF still checked first');
      const changed = await n.submit('/newsroom/account/password', '/newsroom/account/password', {
        currentPassword: temp,
        newPassword: 'nina picks her own words',
        confirmPassword: 'nina picks her own words',
      });
      assert.equal(changed.statusCode, 303);
      assert.equal(changed.headers.location, '/newsroom');
      const dash = await n.get('/newsroom');
      assert.equal(dash.statusCode, 200);
      assert.match(dash.body, /password has been changed/);
    });

    it('a forced user may still sign out', async () => {
      const a = await signedIn(admin);
      const created = await a.submit('/newsroom/users/new', '/newsroom/users', {
        email: 'leaving@example.test',
        name: 'Leaving',
        role: 'contributor',
      });
      const n = new NewsroomClient(site, nextIp());
      await n.login('leaving@example.test', temporaryPasswordFrom(created.body));
      const out = await n.submit('/newsroom/account/password', '/newsroom/logout', {});
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location?.startsWith('/newsroom/login'), true);
    });

    it('explains a duplicate email (409) and bad input (400) on the form, keeping what was typed', async () => {
      const a = await signedIn(admin);
      const dup = await a.submit('/newsroom/users/new', '/newsroom/users', {
        email: editor.email.toUpperCase(),
        name: 'Twin',
        role: 'author',
      });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /already exists/);
      assert.match(dup.body, /value="Twin"/);
      const bad = await a.submit('/newsroom/users/new', '/newsroom/users', { email: 'not-an-email', name: '', role: 'boss' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /valid email address/);
      assert.match(bad.body, /Role must be one of/);
    });

    it('an editor gets 403 on every user-administration route, and nothing changes', async () => {
      const e = await signedIn(editor);
      const token = await e.csrfToken();
      const target = await seedUser(site.deps, 'contributor');
      assert.equal((await e.get('/newsroom/users/new')).statusCode, 403);
      assert.equal(
        (await e.request('POST', '/newsroom/users', { _csrf: token, email: 'sneaky@example.test', name: 'Sneaky', role: 'admin' }))
          .statusCode,
        403,
      );
      assert.equal((await e.request('POST', `/newsroom/users/${target.id}/role`, { _csrf: token, role: 'admin' })).statusCode, 403);
      assert.equal((await e.request('POST', `/newsroom/users/${editor.id}/role`, { _csrf: token, role: 'admin' })).statusCode, 403);
      assert.equal((await e.request('POST', `/newsroom/users/${target.id}/reset-password`, { _csrf: token })).statusCode, 403);
      const rows = await site.deps.db
        .selectFrom('users')
        .select(['email', 'role'])
        .where((eb) => eb.or([eb('email', '=', 'sneaky@example.test'), eb('id', 'in', [target.id, editor.id])]))
        .execute();
      assert.deepEqual(rows.map((r) => r.role).sort(), ['contributor', 'editor']);
    });

    it('refuses every form without the CSRF token with 403', async () => {
      const a = await signedIn(admin);
      const target = await seedUser(site.deps, 'contributor');
      assert.equal(
        (await a.request('POST', '/newsroom/users', { email: 'nocsrf@example.test', name: 'No', role: 'author' })).statusCode,
        403,
      );
      assert.equal((await a.request('POST', `/newsroom/users/${target.id}/role`, { role: 'editor' })).statusCode, 403);
      assert.equal((await a.request('POST', `/newsroom/users/${target.id}/reset-password`, {})).statusCode, 403);
      const token = await a.csrfToken();
      assert.equal(
        (await a.request('POST', `/newsroom/users/${target.id}/role`, { _csrf: token, role: 'editor' }, { origin: 'https://evil.example' }))
          .statusCode,
        403,
      );
      const row = await site.deps.db
        .selectFrom('users')
        .select(['role', 'password_hash'])
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.role, 'contributor');
      assert.equal(
        await site.deps.db.selectFrom('users').select('id').where('email', '=', 'nocsrf@example.test').executeTakeFirst(),
        undefined,
      );
    });

    it("a role change applies on the user's next request; own role and the last admin are protected", async () => {
      const a = await signedIn(admin);
      const author = await seedUser(site.deps, 'author', { name: 'Promoted Person' });
      const p = await signedIn(author);
      assert.equal((await p.get('/newsroom/comments')).statusCode, 403, 'an author cannot moderate');
      const res = await a.submit('/newsroom/users', `/newsroom/users/${author.id}/role`, { role: 'editor' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/newsroom/users');
      assert.match((await a.get('/newsroom/users')).body, /role has been changed/);
      assert.equal((await p.get('/newsroom/comments')).statusCode, 200, 'the same session is an editor now');
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'user', subjectId: author.id, action: 'user.role_changed' });
      assert.deepEqual(audit[0]?.details, { from: 'author', to: 'editor' });

      const own = await a.submit('/newsroom/users', `/newsroom/users/${admin.id}/role`, { role: 'editor' });
      assert.equal(own.statusCode, 400);
      assert.match(own.body, /cannot change your own role/);
      const junk = await a.submit('/newsroom/users', `/newsroom/users/${author.id}/role`, { role: 'overlord' });
      assert.equal(junk.statusCode, 400);
      assert.equal((await a.submit('/newsroom/users', '/newsroom/users/not-an-id/role', { role: 'editor' })).statusCode, 404);
    });

    it('refuses to demote the last enabled administrator with 409', async () => {
      const second = await seedUser(site.deps, 'admin', { name: 'Second Admin' });
      const a = await signedIn(admin);
      const s = await signedIn(second);
      const sToken = await s.csrfToken('/newsroom/users');
      // Ada demotes the second admin; the second admin's open page still offers the form.
      assert.equal((await a.submit('/newsroom/users', `/newsroom/users/${second.id}/role`, { role: 'editor' })).statusCode, 303);
      const back = await s.request('POST', `/newsroom/users/${admin.id}/role`, { _csrf: sToken, role: 'editor' });
      assert.equal(back.statusCode, 403, 'the demoted admin is no longer an admin on the very next request');
      const enabledAdmins = await site.deps.db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled', '=', 0)
        .execute();
      assert.deepEqual(
        enabledAdmins.map((r) => r.id),
        [admin.id],
      );
    });

    it('resets a password: shown once, every session of that user ends, forced change at the next sign-in', async () => {
      const a = await signedIn(admin);
      const user = await seedUser(site.deps, 'author', { name: 'Forgetful Fran' });
      const u1 = await signedIn(user);
      const u2 = await signedIn(user);
      const res = await a.submit('/newsroom/users', `/newsroom/users/${user.id}/reset-password`, {});
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Password reset for Forgetful Fran/);
      const temp = temporaryPasswordFrom(res.body);
      for (const c of [u1, u2]) {
        const r = await c.get('/newsroom');
        assert.equal(r.statusCode, 303);
        assert.equal(r.headers.location, '/newsroom/login');
      }
      const n = new NewsroomClient(site, nextIp());
      assert.equal((await n.login(user.email)).statusCode, 401, 'the old password no longer works');
      assert.equal((await n.login(user.email, temp)).statusCode, 303);
      assert.equal((await n.get('/newsroom')).headers.location, '/newsroom/account/password');
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'user', subjectId: user.id, action: 'user.password_reset' });
      assert.equal(audit[0]?.actorUserId, admin.id);
      assert.equal(audit[0]?.details.sessionsEnded, 2);
      assert.ok(!JSON.stringify(audit).includes(temp));
      const self = await a.submit('/newsroom/users', `/newsroom/users/${admin.id}/reset-password`, {});
      assert.equal(self.statusCode, 400);
    });

    it('the users page no longer sends admins to the command line', async () => {
      const a = await signedIn(admin);
      const page = await a.get('/newsroom/users');
      assert.ok(!page.body.includes('npm run masthead'));
      assert.match(page.body, /href="\/newsroom\/users\/new"/);
      assert.match(page.body, new RegExp(`action="/newsroom/users/${editor.id}/role"`));
      assert.match(page.body, new RegExp(`action="/newsroom/users/${editor.id}/reset-password"`));
      assert.ok(!page.body.includes(`action="/newsroom/users/${admin.id}/role"`), 'no role form for yourself');
    });
  });
}
