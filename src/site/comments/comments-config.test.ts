import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';

describe('comment settings', () => {
  it('defaults: close after 14 days, no blocked words, two links, no SMTP', () => {
    const c = loadConfig({});
    assert.deepEqual(c.comments, { closeAfterDays: 14, blockedWords: [], maxLinks: 2 });
    assert.equal(c.smtpUrl, undefined);
    assert.equal(c.mailFrom, 'no-reply@127.0.0.1');
  });

  it('reads the comment variables', () => {
    const c = loadConfig({
      MASTHEAD_COMMENTS_CLOSE_AFTER_DAYS: '0',
      MASTHEAD_COMMENTS_BLOCKED_WORDS: ' Spam, buy NOW ,, ',
      MASTHEAD_COMMENTS_MAX_LINKS: '5',
      MASTHEAD_SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      MASTHEAD_SITE_URL: 'https://news.example.com',
    });
    assert.deepEqual(c.comments, { closeAfterDays: 0, blockedWords: ['spam', 'buy now'], maxLinks: 5 });
    assert.equal(c.smtpUrl, 'smtps://user:pw@mail.example.com:465');
    assert.equal(c.mailFrom, 'no-reply@news.example.com');
  });

  it('reports bad values at once', () => {
    assert.throws(
      () => loadConfig({ MASTHEAD_COMMENTS_CLOSE_AFTER_DAYS: '-1', MASTHEAD_COMMENTS_MAX_LINKS: 'many', MASTHEAD_SMTP_URL: 'http://mail' }),
      (e) => e instanceof ConfigError && e.problems.length === 3,
    );
  });
});
