/*
 * What a moved site's export becomes before it is written (neutral of WordPress or Ghost),
 * and the lines the import reports. Parsers produce these; site-import-writer.ts writes them.
 */

export interface SiteComment {
  /** The comment's id in the export. */
  id: string;
  /** The export id of the comment it answers, or null. */
  parentId: string | null;
  authorName: string;
  authorEmail: string;
  /** Plain text (markup already removed). */
  text: string;
  createdAt: string;
}

export type SiteSource = 'wordpress' | 'ghost';

export interface SiteImage {
  /** The address as the export writes it (absolute URL or path). */
  ref: string;
  alt: string;
  caption: string;
}

export interface SiteStory {
  source: SiteSource;
  /** The item's identity in its export (WordPress guid, Ghost uuid/id): re-imports update the story it became. */
  key: string;
  /** Digest of everything imported from the item: an unchanged item is left alone on re-import. */
  fingerprint: string;
  kind: 'post' | 'page';
  title: string;
  slug: string | null;
  standfirst: string;
  /** Body as HTML (WordPress content after autop, Ghost Lexical/mobiledoc rendered). */
  html: string;
  /** Base for relative links in the body, when known. */
  baseUrl?: string;
  status: 'published' | 'draft' | 'in_review';
  publishedAt: string | null;
  createdAt: string | null;
  modifiedAt: string | null;
  language: string | null;
  authors: Array<{ name: string; slug: string }>;
  section: { name: string; slug: string } | null;
  tags: string[];
  featureImage: SiteImage | null;
  /** Old public addresses (absolute URLs or paths) that should answer 301 to the story. */
  oldAddresses: string[];
  comments: SiteComment[];
  notes: string[];
}

/** Reads a file the export refers to from the folder given on the command line; null when absent. */
export interface MediaFolder {
  read(ref: string): Promise<{ data: Buffer; name: string } | null>;
}

export interface SiteImportOptions {
  media?: MediaFolder;
  /** Section for stories whose export names none (Ghost); default "news", then "world", then the first. */
  sectionSlug?: string;
  /** Overwrite a story the newsroom edited since it was imported. */
  force?: boolean;
}

/** One line of the import report. */
export interface ImportLine {
  kind: 'story' | 'author' | 'section' | 'image' | 'comment' | 'redirect';
  ok: boolean;
  status: 'created' | 'updated' | 'unchanged' | 'existing' | 'missing' | 'skipped' | 'rejected';
  /** The item in the export (guid, path, name…). */
  source: string;
  id: string | null;
  error?: string;
  headline?: string;
  path?: string;
  notes?: string[];
}
