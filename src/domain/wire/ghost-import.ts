import type { ServiceDeps } from '../deps.ts';
import { ValidationError } from '../errors.ts';
import { lexicalToHtml, markdownHtml } from './ghost-lexical.ts';
import { parseHtmlDom } from './html-to-document.ts';
import { mobiledocToHtml } from './ghost-mobiledoc.ts';
import { runSiteImport, type SiteImportSummary } from './site-import-run.ts';
import type { ImportLine, SiteImportOptions, SiteStory } from './site-story.ts';
import { fingerprintOf } from './wordpress-import.ts';

/*
 * A Ghost JSON export (Settings → Labs → Export: `{db: [{meta, data}]}`, or `{meta, data}`)
 * → the stories of a moved site. Posts and pages become stories, filed in the section named
 * with --section (Ghost has no sections; its tags stay tags). Bodies are Lexical (Ghost 5),
 * else mobiledoc (1–4), else the stored HTML or, from Ghost 0.x, Markdown. Authors come from
 * `posts_authors` (or the old `author_id`), feature image alt and caption from `posts_meta`
 * (or the post itself), and `/slug/` plus any `url` the export holds are kept as old
 * addresses. Internal tags (`#…`) are not imported.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : []);

/** Ghost writes times as ISO text (and, before 1.0, as epoch milliseconds). */
function timeOf(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' ? new Date(v) : new Date(str(v));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function envelope(root: Json): { meta: Json; data: Json } | null {
  const db = Array.isArray(root.db) ? (root.db[0] as Json | undefined) : undefined;
  const candidate = db ?? (root.meta && root.data ? root : (root.data as Json | undefined));
  if (!candidate || typeof candidate !== 'object') return null;
  const data = candidate.data as Json | undefined;
  if (!data || !Array.isArray(data.posts)) return null;
  return { meta: (candidate.meta as Json) ?? {}, data };
}

function byPost(rows: Json[]): Map<string, Json[]> {
  const out = new Map<string, Json[]>();
  for (const r of [...rows].sort((a, b) => Number(a.sort_order ?? 0) - Number(b.sort_order ?? 0))) {
    const list = out.get(str(r.post_id)) ?? [];
    list.push(r);
    out.set(str(r.post_id), list);
  }
  return out;
}

/** Ghost keeps captions as HTML (links, emphasis); an image's caption is plain text here. */
function captionText(html: string): string {
  if (!html) return '';
  return (parseHtmlDom(`<div>${html}</div>`).querySelector('div')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const STATUS: Record<string, SiteStory['status'] | undefined> = {
  published: 'published',
  draft: 'draft',
  scheduled: 'draft',
  sent: 'draft',
};

/** Parses a Ghost export into stories; refuses anything else with a clear message. */
export function parseGhostExport(text: string, options: { siteUrl?: string } = {}): { stories: SiteStory[]; skipped: ImportLine[] } {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`Not a Ghost export: the file is not JSON (${(err as Error).message}).`);
  }
  const env = root && typeof root === 'object' ? envelope(root as Json) : null;
  if (!env)
    throw new ValidationError('Not a Ghost export: expected {"db": [{"meta": …, "data": {"posts": […]}}]} as Ghost’s Export writes.');
  const { data } = env;
  const ghostUrl = (options.siteUrl ?? '').replace(/\/+$/, '');
  const unplaceholder = (s: string) => s.replace(/__GHOST_URL__/g, ghostUrl);

  const users = new Map(
    arr(data.users).map((u) => [str(u.id), { name: str(u.name) || str(u.slug) || 'Unknown', slug: str(u.slug) || str(u.name) }]),
  );
  const tags = new Map(arr(data.tags).map((t) => [str(t.id), t]));
  const postTags = byPost(arr(data.posts_tags));
  const postAuthors = byPost(arr(data.posts_authors));
  const postMeta = new Map(arr(data.posts_meta).map((m) => [str(m.post_id), m]));

  const stories: SiteStory[] = [];
  const skipped: ImportLine[] = [];
  for (const post of arr(data.posts)) {
    const id = str(post.id);
    const key = str(post.uuid) || `ghost:${id}`;
    const ghostStatus = str(post.status);
    const status = STATUS[ghostStatus];
    if (!status) {
      skipped.push({
        kind: 'story',
        ok: true,
        status: 'skipped',
        source: key,
        id: null,
        error: `Ghost status "${ghostStatus}" is not imported`,
      });
      continue;
    }
    const notes: string[] = [];
    if (ghostStatus === 'scheduled') notes.push('Scheduled in Ghost: imported as a draft; schedule it in the newsroom.');
    if (ghostStatus === 'sent') notes.push('Sent as an email only in Ghost (never on the site): imported as a draft.');
    const kind: SiteStory['kind'] = str(post.type) === 'page' || post.page === true || post.page === 1 ? 'page' : 'post';
    const body =
      (post.lexical ? lexicalToHtml(post.lexical) : null) ??
      (post.mobiledoc ? mobiledocToHtml(post.mobiledoc) : null) ??
      (str(post.html) || (str(post.markdown) ? markdownHtml(str(post.markdown)) : ''));
    const meta = postMeta.get(id) ?? {};
    const authorIds = (postAuthors.get(id) ?? []).map((r) => str(r.author_id));
    if (!authorIds.length && post.author_id !== undefined) authorIds.push(str(post.author_id));
    const featureImage = str(post.feature_image) || str(post.image);
    const slug = str(post.slug);
    const publishedAt = timeOf(post.published_at);
    const story: Omit<SiteStory, 'fingerprint'> = {
      source: 'ghost',
      key,
      kind,
      title: str(post.title),
      slug: slug || null,
      standfirst: str(post.custom_excerpt) || str(meta.meta_description) || '',
      html: unplaceholder(body),
      ...(ghostUrl ? { baseUrl: `${ghostUrl}/` } : {}),
      status,
      publishedAt: status === 'published' ? publishedAt : null,
      createdAt: timeOf(post.created_at),
      modifiedAt: timeOf(post.updated_at),
      language: str(post.locale) || str(post.language) || null,
      authors: authorIds.map((a) => users.get(a)).filter((u): u is { name: string; slug: string } => !!u),
      section: null,
      tags: (postTags.get(id) ?? [])
        .map((r) => tags.get(str(r.tag_id)))
        .filter((t): t is Json => !!t && !str(t.name).startsWith('#') && str(t.visibility) !== 'internal')
        .map((t) => str(t.name)),
      featureImage: featureImage
        ? {
            ref: unplaceholder(featureImage),
            alt: str(post.feature_image_alt) || str(meta.feature_image_alt),
            caption: captionText(str(post.feature_image_caption) || str(meta.feature_image_caption)),
          }
        : null,
      oldAddresses: [...(slug ? [`/${slug}/`] : []), ...(str(post.url) ? [unplaceholder(str(post.url))] : [])],
      comments: [],
      notes,
    };
    stories.push({ ...story, fingerprint: fingerprintOf(story) });
  }
  if (!stories.length && !skipped.length) throw new ValidationError('The Ghost export holds no posts or pages.');
  return { stories, skipped };
}

/** Imports a Ghost export: each story in its own transaction, one report line per item through `onLine`. */
export async function importGhostExport(
  deps: ServiceDeps,
  text: string,
  options: SiteImportOptions & { onLine?: (line: ImportLine) => void } = {},
): Promise<SiteImportSummary> {
  const { stories, skipped } = parseGhostExport(text, { ...(deps.siteUrl ? { siteUrl: deps.siteUrl } : {}) });
  for (const line of skipped) options.onLine?.(line);
  return runSiteImport(deps, stories, options, skipped.length);
}
