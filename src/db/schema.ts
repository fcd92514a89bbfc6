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
}

// Silence "unused" for helpers kept for later tables with generated columns.
export type { ColumnType, Generated };
