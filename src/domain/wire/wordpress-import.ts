import crypto from 'node:crypto';
import { DOMParser } from 'linkedom';
import type { ServiceDeps } from '../deps.ts';
import { ValidationError } from '../errors.ts';
import { parseHtmlDom } from './html-to-document.ts';
import { runSiteImport, type SiteImportSummary } from './site-import-run.ts';
import type { SiteComment } from './site-story.ts';
import type { ImportLine, SiteImportOptions, SiteStory } from './site-story.ts';
import { wordpressBodyHtml } from './wordpress-content.ts';

/*
 * WordPress eXtended RSS (WXR 1.0–1.2, what Tools → Export writes) → the stories of a moved
 * site. Posts and pages become stories (pages in a "Pages" section), the first category is
 * the section and the others join the tags, `_thumbnail_id` names the featured image among
 * the export's attachments, approved comments come along, and each post's permalink, guid
 * and `?p=` / `?page_id=` address are kept as old addresses. Times are the GMT fields.
 */

type El = Element;

function child(el: El, name: string): El | undefined {
  for (const c of Array.from(el.children)) if (c.tagName.toLowerCase() === name) return c;
  return undefined;
}

function text(el: El | undefined, name: string): string {
  const c = el ? child(el, name) : undefined;
  return (c?.textContent ?? '').trim();
}

function children(el: El, name: string): El[] {
  return Array.from(el.children).filter((c) => c.tagName.toLowerCase() === name);
}

/** `2024-06-05 16:04:48` (GMT) → ISO; WordPress writes zeros for "never" (drafts). */
export function wpGmtToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m || m[1] === '0000') return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function rfc822ToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Markup of a WordPress comment (`<br />`, entities, links) → the plain text our comments hold. */
function commentText(html: string): string {
  const doc = parseHtmlDom(`<div>${html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')}</div>`);
  return doc.querySelector('div')?.textContent ?? '';
}

interface Attachment {
  url: string;
  alt: string;
  caption: string;
}

const STATUS: Record<string, SiteStory['status'] | undefined> = {
  publish: 'published',
  draft: 'draft',
  pending: 'in_review',
  private: 'draft',
  future: 'draft',
};

/** True when the text looks like a WXR file: an RSS document in WordPress's export namespace. */
export function looksLikeWxr(textHead: string): boolean {
  const head = textHead.slice(0, 4000);
  return /<rss[\s>]/i.test(head) && /xmlns:wp=["']http:\/\/wordpress\.org\/export\/1\.[0-9]+\/?["']/i.test(head);
}

/** Parses a WXR document into stories; refuses a file that is not one with a clear message. */
export function parseWxr(xml: string): { stories: SiteStory[]; skipped: ImportLine[]; siteUrl: string } {
  if (!looksLikeWxr(xml)) {
    throw new ValidationError(
      'Not a WordPress export: expected an RSS file with the WXR namespace (xmlns:wp="http://wordpress.org/export/1.x/").',
    );
  }
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const channel = doc.getElementsByTagName('channel')[0] as El | undefined;
  if (!channel) throw new ValidationError('Not a WordPress export: the file has no <channel>.');
  const version = text(channel, 'wp:wxr_version');
  const siteUrl = text(channel, 'wp:base_blog_url') || text(channel, 'wp:base_site_url') || text(channel, 'link');
  const language = text(channel, 'language') || null;

  const authors = new Map<string, string>();
  for (const a of children(channel, 'wp:author')) {
    const login = text(a, 'wp:author_login');
    if (login) authors.set(login, text(a, 'wp:author_display_name') || login);
  }
  const items = children(channel, 'item');
  const attachments = new Map<string, Attachment>();
  for (const item of items) {
    if (text(item, 'wp:post_type') !== 'attachment') continue;
    const meta = new Map(children(item, 'wp:postmeta').map((m) => [text(m, 'wp:meta_key'), text(m, 'wp:meta_value')]));
    attachments.set(text(item, 'wp:post_id'), {
      url: text(item, 'wp:attachment_url') || text(item, 'guid'),
      alt: meta.get('_wp_attachment_image_alt') ?? '',
      caption: text(item, 'excerpt:encoded'),
    });
  }

  const stories: SiteStory[] = [];
  const skipped: ImportLine[] = [];
  for (const item of items) {
    const type = text(item, 'wp:post_type');
    const id = text(item, 'wp:post_id');
    const guid = text(item, 'guid');
    const key = guid || `${siteUrl}#${type}-${id}`;
    if (type !== 'post' && type !== 'page') continue;
    const wpStatus = text(item, 'wp:status');
    let status = STATUS[wpStatus];
    if (!status) {
      skipped.push({
        kind: 'story',
        ok: true,
        status: 'skipped',
        source: key,
        id: null,
        error: `WordPress status "${wpStatus}" is not imported`,
      });
      continue;
    }
    const notes: string[] = [];
    if (wpStatus === 'future') notes.push('Scheduled in WordPress: imported as a draft; schedule it in the newsroom.');
    if (wpStatus === 'private') notes.push('Private in WordPress: imported as a draft.');
    if (text(item, 'wp:post_password') && status === 'published') {
      status = 'draft';
      notes.push('Password-protected in WordPress: imported as a draft, since Masthead has no per-story passwords.');
    }
    const title = text(item, 'title');
    const body = wordpressBodyHtml(child(item, 'content:encoded')?.textContent ?? '');
    notes.push(...body.notes);
    const categories = children(item, 'category');
    const cats = categories
      .filter((c) => c.getAttribute('domain') === 'category')
      .map((c) => ({ name: (c.textContent ?? '').trim(), slug: c.getAttribute('nicename') ?? '' }));
    const tags = categories.filter((c) => c.getAttribute('domain') === 'post_tag').map((c) => (c.textContent ?? '').trim());
    const meta = new Map(children(item, 'wp:postmeta').map((m) => [text(m, 'wp:meta_key'), text(m, 'wp:meta_value')]));
    const thumb = attachments.get(meta.get('_thumbnail_id') ?? '');
    let publishedAt = wpGmtToIso(text(item, 'wp:post_date_gmt'));
    if (!publishedAt && status === 'published') {
      publishedAt = rfc822ToIso(text(item, 'pubDate')) ?? wpGmtToIso(text(item, 'wp:post_date'));
      if (publishedAt) notes.push('The export has no GMT publication time; the local time was used.');
    }
    const creator = text(item, 'dc:creator');
    const comments: SiteComment[] = children(item, 'wp:comment')
      .filter((c) => text(c, 'wp:comment_approved') === '1' && !['pingback', 'trackback'].includes(text(c, 'wp:comment_type')))
      .map((c) => ({
        id: text(c, 'wp:comment_id'),
        parentId: text(c, 'wp:comment_parent') === '0' ? null : text(c, 'wp:comment_parent') || null,
        authorName: text(c, 'wp:comment_author') || 'Reader',
        authorEmail: text(c, 'wp:comment_author_email'),
        text: commentText(text(c, 'wp:comment_content')),
        createdAt:
          wpGmtToIso(text(c, 'wp:comment_date_gmt')) ?? wpGmtToIso(text(c, 'wp:comment_date')) ?? publishedAt ?? '1970-01-01T00:00:00.000Z',
      }));
    const base = siteUrl.replace(/\/+$/, '');
    const oldAddresses = [text(item, 'link'), ...(child(item, 'guid')?.getAttribute('isPermaLink') === 'false' ? [] : [guid])];
    if (id) oldAddresses.push(type === 'page' ? `${base}/?page_id=${id}` : `${base}/?p=${id}`);
    const story: Omit<SiteStory, 'fingerprint'> = {
      source: 'wordpress',
      key,
      kind: type,
      title,
      slug: text(item, 'wp:post_name') || null,
      standfirst: parseHtmlDom(`<div>${text(item, 'excerpt:encoded')}</div>`).querySelector('div')?.textContent ?? '',
      html: body.html,
      ...(siteUrl ? { baseUrl: siteUrl } : {}),
      status,
      publishedAt,
      createdAt: publishedAt,
      modifiedAt: wpGmtToIso(text(item, 'wp:post_modified_gmt')),
      language,
      authors: creator ? [{ name: authors.get(creator) ?? creator, slug: creator }] : [],
      section:
        type === 'page' ? { name: 'Pages', slug: 'pages' } : cats[0] ? { name: cats[0].name, slug: cats[0].slug || cats[0].name } : null,
      tags: [...cats.slice(1).map((c) => c.name), ...tags],
      featureImage: thumb ? { ref: thumb.url, alt: thumb.alt, caption: thumb.caption } : null,
      oldAddresses: oldAddresses.filter(Boolean),
      comments,
      notes: version && !/^1\.[0-2]$/.test(version) ? [`WXR version ${version} is newer than 1.2; read as 1.2.`, ...notes] : notes,
    };
    stories.push({ ...story, fingerprint: fingerprintOf(story) });
  }
  if (!stories.length && !skipped.length) throw new ValidationError('The WordPress export holds no posts or pages.');
  return { stories, skipped, siteUrl };
}

/** Digest of what an item brings, so an unchanged item is recognised on the next import. */
export function fingerprintOf(story: Omit<SiteStory, 'fingerprint'>): string {
  return crypto.createHash('sha256').update(JSON.stringify(story)).digest('hex');
}

/** Imports a WXR file: each story in its own transaction, one report line per item through `onLine`. */
export async function importWordpressExport(
  deps: ServiceDeps,
  xml: string,
  options: SiteImportOptions & { onLine?: (line: ImportLine) => void } = {},
): Promise<SiteImportSummary> {
  const { stories, skipped } = parseWxr(xml);
  for (const line of skipped) options.onLine?.(line);
  return runSiteImport(deps, stories, options, skipped.length);
}
