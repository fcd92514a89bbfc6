import type { ColumnType, Generated } from 'kysely';

/*
 * Storage shapes. Column types are portable across SQLite and PostgreSQL:
 * ids are app-generated text (UUIDv7), times are ISO-8601 UTC text, flags are 0|1,
 * structured values are JSON stored as text.
 */

export interface SectionTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
}

export interface AuthorTable {
  id: string;
  slug: string;
  name: string;
  bio: string;
  role_title: string;
  photo_image_id: string | null;
  created_at: string;
}

export interface TagTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface ImageTable {
  id: string;
  /** Folder key under the media store; renditions live beside the original. */
  storage_key: string;
  mime_type: string;
  width: number;
  height: number;
  /** JSON array of rendition widths that exist on disk. */
  rendition_widths: string;
  alt_text: string;
  caption: string;
  credit: string;
  copyright_notice: string;
  creator: string;
  created_at: string;
  /** JSON array of rendition formats on disk, e.g. `["avif","webp","jpg"]` (migration 20261125T1350). */
  formats: ColumnType<string, string | undefined, string>;
  /** The uploaded file's name, for finding it again in the media library. */
  original_filename: ColumnType<string, string | undefined, string>;
  /** JSON array of the fixed-ratio crops on disk (`["1x1","4x3","16x9"]`); null until made (migration 20261203T1600). */
  crops: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ArticleTable {
  id: string;
  slug: string;
  section_id: string;
  headline: string;
  standfirst: string;
  /** JSON text of the validated ArticleDocument. */
  body: string;
  /** Plain text of headline, standfirst and body, for search and similarity. */
  body_text: string;
  /** JSON array of [term, weight] pairs used for related-story similarity. */
  keywords: string;
  hero_image_id: string | null;
  language: string;
  translation_group_id: string;
  status: string;
  comments_policy: string;
  seo_title: string | null;
  seo_description: string | null;
  published_at: string | null;
  /** Last editorial update shown to readers; null until first update after publication. */
  updated_at: string | null;
  created_at: string;
  modified_at: string;
  revision: number;
  /** Workflow columns (migration 20261125T1110); optional on insert so older writers keep working. */
  embargo_until: ColumnType<string | null, string | null | undefined, string | null>;
  scheduled_at: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** Published comments (migration 20261125T1400), maintained by the comments domain; never written by article saves. */
  comment_count: ColumnType<number, number | undefined, number>;
  /** Live coverage (migration 20261204T1300): 1 for a live blog, with its coverage window; written by the story write path. */
  live_blog: ColumnType<number, number | undefined, number>;
  coverage_start_at: ColumnType<string | null, string | null | undefined, string | null>;
  coverage_end_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ArticleAuthorTable {
  article_id: string;
  author_id: string;
  position: number;
}

export interface ArticleTagTable {
  article_id: string;
  tag_id: string;
  position: number;
  /** A copy of the story's published_at, so a tag page is one index range scan (kept by the story write path). */
  published_at: string | null;
}

export interface ArticleRelatedTable {
  article_id: string;
  related_id: string;
  rank: number;
  score: number;
}

export interface ArticleRedirectTable {
  /** An old public path such as `/world/old-slug`. */
  path: string;
  article_id: string;
  created_at: string;
}

/** An old address of a story moved in from WordPress or Ghost (migration 20261204T1200). */
export interface RedirectTable {
  /** Normalised: a path without trailing slash, or `/?p=123` / `/?page_id=2`. */
  path: string;
  article_id: string;
  /** `wordpress` or `ghost`. */
  source: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  /** Always lower-cased. */
  email: string;
  name: string;
  /** One of the newsroom roles (domain/accounts/role.ts). */
  role: string;
  /** Self-describing scrypt hash (domain/accounts/password-hash.ts). */
  password_hash: string;
  disabled: 0 | 1;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  /** 1 while the account holds an administrator-issued temporary password. */
  must_change_password: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
}

export interface SessionTable {
  /** Hex SHA-256 of the cookie token; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string;
  ip: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_user_id: string | null;
  /** Dotted verb such as `user.disabled`. */
  action: string;
  subject_type: string;
  subject_id: string;
  /** JSON object text. */
  details: string;
}

/** A durable piece of deferred work; only `publish` exists so far. */
export interface ScheduledJobTable {
  id: string;
  article_id: string;
  action: string;
  /** ISO time the job is due. */
  run_at: string;
  /** pending → done | failed | cancelled; a job is claimed by the conditional pending → done update. */
  status: string;
  attempts: number;
  last_error: string | null;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
}

/** A snapshot of an article after a workflow step or a save of a published story. */
export interface ArticleRevisionTable {
  id: string;
  article_id: string;
  /** The article's `revision` this snapshot shows; unique per article. */
  revision: number;
  action: string;
  actor_user_id: string | null;
  /** JSON text of the Article (without bodyText). */
  snapshot: string;
  created_at: string;
}

/** A public update or correction note on a published story. */
export interface ArticleNoteTable {
  id: string;
  article_id: string;
  kind: string;
  text: string;
  actor_user_id: string | null;
  created_at: string;
}

/** An admin-registered receiver of event notifications (domain/webhooks). */
export interface WebhookTable {
  id: string;
  url: string;
  description: string;
  /** JSON array of subscribed event types. */
  events: string;
  /** HMAC key for signatures; stored in clear because the admin must be able to verify with it. Never logged. */
  secret: string;
  enabled: 0 | 1;
  /** Why the hook was switched off (by an admin, or a 410 Gone from the receiver). */
  disabled_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  secret_rotated_at: string | null;
}

/** One event to one hook: the durable outbox row and its delivery log. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  event: string;
  /** The event's id (the same for every hook it went to). */
  event_id: string;
  /** pending → delivering → succeeded | pending (retry) | failed. */
  status: string;
  attempts: number;
  /** Pending: next try; delivering: end of the claim's lease. */
  next_attempt_at: string;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
  /** The exact JSON body sent. */
  payload: string;
}

/** A revocable Admin/Content API credential (domain/api-tokens); only the secret's hash is kept. */
export interface ApiTokenTable {
  id: string;
  name: string;
  /** The newsroom role the token acts with (never above its creator's). */
  role: string;
  /** Hex SHA-256 of the secret. */
  token_hash: string;
  /** The secret's first characters (`mh_AbCd`), for telling tokens apart. */
  token_hint: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface Database {
  sections: SectionTable;
  authors: AuthorTable;
  tags: TagTable;
  images: ImageTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  article_tags: ArticleTagTable;
  article_related: ArticleRelatedTable;
  article_redirects: ArticleRedirectTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  scheduled_jobs: ScheduledJobTable;
  article_revisions: ArticleRevisionTable;
  article_notes: ArticleNoteTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  api_tokens: ApiTokenTable;
  readers: ReaderTable;
  reader_sessions: ReaderSessionTable;
  reader_bans: ReaderBanTable;
  comments: CommentTable;
  comment_likes: CommentLikeTable;
  comment_reports: CommentReportTable;
  wire_imports: WireImportTable;
  article_conflict_copies: ArticleConflictCopyTable;
  search_documents: SearchDocumentTable;
  search_state: SearchStateTable;
  redirects: RedirectTable;
  search_vocabulary: SearchVocabularyTable;
  image_search_documents: ImageSearchDocumentTable;
  live_entries: LiveEntryTable;
  live_entry_sequences: LiveEntrySequenceTable;
  article_pending_changes: ArticlePendingChangeTable;
  editorial_notes: EditorialNoteTable;
  planning_items: PlanningItemTable;
  story_presence: StoryPresenceTable;
  story_locks: StoryLockTable;
  front_arrangements: FrontArrangementTable;
  editions: EditionTable;
  section_editions: SectionEditionTable;
  tag_editions: TagEditionTable;
  translation_links: TranslationLinkTable;
  breaking_alerts: BreakingAlertTable;
  preview_links: PreviewLinkTable;
}

/** One entry of a live blog (migration 20261204T1300); domain/live/ is its only writer. */
export interface LiveEntryTable {
  id: string;
  article_id: string;
  /** draft | published */
  status: string;
  /** JSON array of author ids, in byline order. */
  author_ids: string;
  key_event: number;
  pinned: number;
  revision: number;
  created_by: string | null;
  created_at: string;
  modified_at: string;
  published_at: string | null;
  correction_note: string | null;
  corrected_at: string | null;
  deleted_at: string | null;
  /** JSON text of the validated ArticleDocument. */
  body: string;
  /** The story's change sequence at this entry's last write (migration 20261206T0500); readers resume after it. */
  seq: number;
}

/** Each live blog's last entry change number (migration 20261206T0500), bumped in the entry's write transaction. */
export interface LiveEntrySequenceTable {
  article_id: string;
  last_seq: number;
}

/**
 * The text each story is searched by (migration 20261203T1600), one row per story, written in
 * the story's own transaction (domain/search/search-index.ts). The dialect's index sits beside
 * it: on SQLite the FTS5 table `search_fts` (rowid = `doc_id`, a SQLite-only column), on
 * PostgreSQL the weighted `document` tsvector column with its GIN index; both are reached
 * through raw SQL in domain/search only.
 */
export interface SearchDocumentTable {
  article_id: string;
  /** The story's language tag, as indexed. */
  language: string;
  /** Search configuration used (search-language.ts): english, french… or simple. */
  config: string;
  headline: string;
  standfirst: string;
  /** Body text: paragraphs, quotes and their speakers, captions and credits. */
  body: string;
  /** Bylines, tags and section name. */
  meta: string;
  /** The story revision indexed. */
  revision: number;
  /** 1 when this document's words are counted in search_vocabulary (migration 20261204T1500). */
  in_vocabulary: ColumnType<number, number | undefined, number>;
  /** The story's publication time, section and `visibleFrom` (article-visibility.ts), as of the revision indexed (migration 20261209T0900). */
  published_at: string | null;
  section_id: string | null;
  visible_from: string | null;
}

/**
 * Words of the stories readers can see, for spelling suggestions (domain/search/search-vocabulary.ts):
 * the word, its accent-folded form, that form's first letter and length, and how many visible
 * stories contain it. PostgreSQL adds a trigram index on `folded` when pg_trgm is available.
 */
export interface SearchVocabularyTable {
  term: string;
  folded: string;
  initial: string;
  length: number;
  doc_count: number;
}

/**
 * The newsroom's image index (migration 20261204T1500, domain/search/image-search-index.ts),
 * one row per image written in the image row's transaction: `embedded` keeps the headline,
 * title and keywords read from the file at upload (the images table has no columns for
 * them). The dialect's index sits beside it as for stories: FTS5 `image_search_fts`
 * (rowid = `doc_id`, SQLite only) or the `document` tsvector (PostgreSQL only).
 */
export interface ImageSearchDocumentTable {
  image_id: string;
  embedded: string;
}

/** Small key/value state of the search index (the resumable reindex's cursor). */
export interface SearchStateTable {
  key: string;
  value: string;
}

/** A reader account for comments; separate from newsroom users. */
export interface ReaderTable {
  id: string;
  /** Always lower-cased. */
  email: string;
  display_name: string;
  password_hash: string;
  email_verified_at: string | null;
  /** SHA-256 of the emailed verification token. */
  verify_token_hash: string | null;
  verify_expires_at: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface ReaderSessionTable {
  /** Hex SHA-256 of the reader cookie token. */
  id: string;
  reader_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string;
  ip: string;
}

/** A ban is active while lifted_at is null. */
export interface ReaderBanTable {
  id: string;
  reader_id: string;
  reason: string;
  banned_by: string | null;
  created_at: string;
  lifted_at: string | null;
  lifted_by: string | null;
}

export interface CommentTable {
  id: string;
  article_id: string;
  reader_id: string;
  /** The thread's top-level comment; null for a top-level comment. */
  parent_id: string | null;
  /** published | pending | rejected | deleted */
  status: string;
  queue_reason: string | null;
  like_count: number;
  report_count: number;
  body_hash: string;
  ip: string;
  created_at: string;
  edited_at: string | null;
  published_at: string | null;
  moderated_by: string | null;
  moderated_at: string | null;
  /** Plain text as the reader wrote it (normalised); never markup. */
  body: string;
}

export interface CommentLikeTable {
  comment_id: string;
  reader_id: string;
  created_at: string;
}

export interface CommentReportTable {
  comment_id: string;
  reader_id: string;
  reason: string;
  created_at: string;
  resolved_at: string | null;
}

// Silence "unused" for helpers kept for later tables with generated columns.
export type { ColumnType, Generated };

/** Which article a wire item (ninjs `uri`) or imported web page (URL) became (migration 20261125T1700). */
export interface WireImportTable {
  id: string;
  /** `ninjs` or `html`. */
  source_kind: string;
  source_key: string;
  article_id: string;
  ninjs_version: string | null;
  item_version: string | null;
  version_created: string | null;
  /** The article revision the last import wrote; differs once the desk edits the story. */
  article_revision: number;
  imported_at: string;
  updated_at: string;
}

/** An edit refused because the story changed meanwhile, kept until its writer decides (migration 20261125T1300). */
export interface ArticleConflictCopyTable {
  id: string;
  article_id: string;
  /** The newsroom user whose save was refused. */
  user_id: string;
  /** The revision the refused edit was based on, and the story's revision when it was refused. */
  base_revision: number;
  current_revision: number;
  created_at: string;
  /** Set when the writer took their version over the latest (`applied`) or let it go (`discarded`). */
  resolved_at: string | null;
  resolution: string | null;
  /** JSON text of the refused, validated article input. */
  input: string;
}

/** An edit to a live story waiting for review (migration 20261206T0400); domain/articles/article-pending-change.ts is its only writer. */
export interface ArticlePendingChangeTable {
  id: string;
  article_id: string;
  base_revision: number;
  revision: number;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
  /** JSON text of the validated article input. */
  input: string;
}

/** The desk's note on a story (migration 20261206T0400); never read by anything readers see. */
export interface EditorialNoteTable {
  id: string;
  article_id: string;
  thread_id: string | null;
  author_user_id: string;
  quote: string | null;
  block_index: number | null;
  text: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

/** A planned story before it has text (migration 20261206T0300); domain/planning/ is its only writer. */
export interface PlanningItemTable {
  id: string;
  /** The calendar day it is planned for, `YYYY-MM-DD`. */
  day: string;
  working_headline: string;
  section_id: string;
  /** Where it is meant to run (`Home lead`, `Print A1`…), free text. */
  slot: string;
  due_at: string | null;
  assignee_user_id: string | null;
  /** planned | started */
  status: string;
  /** The draft "Start writing" made; null while planned. */
  article_id: string | null;
  created_by: string | null;
  created_at: string;
  modified_at: string;
  revision: number;
  photo_request: string;
  notes: string;
}

/** One open editor tab on a story (migration 20261206T0310), kept alive by heartbeats. */
export interface StoryPresenceTable {
  article_id: string;
  client_id: string;
  user_id: string;
  /** The field being edited; '' when only reading. */
  field: string;
  opened_at: string;
  seen_at: string;
  expires_at: string;
}

/** A story's soft editing lock (migration 20261206T0310): advisory, never checked by saves. */
export interface StoryLockTable {
  article_id: string;
  user_id: string;
  client_id: string;
  acquired_at: string;
  expires_at: string;
  taken_from_client_id: string | null;
  taken_by_user_id: string | null;
  taken_at: string | null;
}

/** One version of an editor's arrangement of a front (migration 20261206T0200, domain/fronts/). */
export interface FrontArrangementTable {
  id: string;
  /** `home`, or `section:<section id>`. */
  front_key: string;
  version: number;
  /** `draft`, `published` or `cancelled`. */
  state: string;
  effective_at: string | null;
  /** JSON text of the arrangement (lead, top stories, named blocks with pins). */
  blocks: string;
  created_at: string;
  created_by: string | null;
  restored_from: number | null;
}

/** A language edition of the site (migration 20261206T0100); domain/editions/ is its only writer. */
export interface EditionTable {
  id: string;
  code: string;
  /** BCP 47; a story belongs to the edition of its language. */
  language: string;
  locale: string;
  /** `ltr` | `rtl` */
  direction: string;
  name: string;
  site_name: string | null;
  /** First path segment (`fr`); null for the default edition or one on its own host. */
  path_prefix: string | null;
  host: string | null;
  is_default: number;
  position: number;
  created_at: string;
  updated_at: string;
}

/** A section's name and slug in one edition (the default edition uses the section's own). */
export interface SectionEditionTable {
  section_id: string;
  edition_id: string;
  slug: string;
  name: string;
}

/** A tag's name in one language edition (migration 20261206T0900-ed3; domain/editions/edition-tags.ts). */
export interface TagEditionTable {
  tag_id: string;
  edition_id: string;
  name: string;
}

/** A translation and the source story it follows (domain/editions/translation-*.ts). */
export interface TranslationLinkTable {
  article_id: string;
  source_article_id: string;
  synced_revision: number;
  synced_at: string;
  synced_headline: string;
  synced_standfirst: string;
  synced_body_text: string;
  out_of_date_since: string | null;
}

/** A site-wide breaking-news banner (migration 20261206T0510); domain/alerts/ is its only writer. */
export interface BreakingAlertTable {
  id: string;
  article_id: string;
  text: string;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  cleared_at: string | null;
  cleared_by: string | null;
}

/** A sharable preview link (migration 20261206T0800); domain/desk/preview-links.ts is its only writer. */
export interface PreviewLinkTable {
  id: string;
  article_id: string;
  /** SHA-256 hex of the secret; the secret itself is never stored. */
  token_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  open_count: Generated<number>;
  last_opened_at: string | null;
}
