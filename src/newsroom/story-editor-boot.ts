/*
 * The contract between the editor page (server) and the editor script (browser): the boot
 * data the page embeds as a JSON data block, and the save endpoint's replies. Types only,
 * so the browser bundle takes nothing else from the server.
 */

/** One image as the media library lists it (`GET /newsroom/media.json`). */
export interface MediaItem {
  id: string;
  url: string;
  width: number;
  height: number;
  caption: string;
  credit: string;
  alt: string;
}

export interface StoryEditorBoot {
  articleId: string;
  /** The revision the page shows; every save sends the revision it was based on. */
  revision: number;
  editable: boolean;
  /** Drafts save themselves; published and scheduled stories change only on "Save". */
  autosave: boolean;
  /** The address follows the headline until someone edits it (never after publication). */
  slugFollowsHeadline: boolean;
  /** The body as the editor's ProseMirror JSON. */
  doc: unknown;
  /** Images the story already uses, by id, for previews in the editor. */
  images: Record<string, MediaItem>;
  urls: { save: string; preview: string; media: string; upload: string };
}

/** `POST /newsroom/stories/:id/autosave` body. */
export interface SaveRequest {
  baseRevision: number;
  story: {
    headline: string;
    standfirst: string;
    slug: string;
    sectionId: string;
    authorIds: string[];
    tags: string[];
    heroImageId: string | null;
    language: string;
    commentsPolicy: string;
    /** The editor's ProseMirror JSON; absent (the stored body kept) while the body editor has not loaded. */
    body?: unknown;
  };
}

export interface SaveOk {
  revision: number;
  slug: string;
  status: string;
  savedAt: string;
}

export interface SaveFailure {
  error: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
  /** On a conflict: where the kept version can be compared with the latest. */
  compareUrl?: string;
  currentRevision?: number;
}
