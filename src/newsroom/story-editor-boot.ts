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
  /**
   * Set when saves go to the story's pending change (an edit of a live story waiting for
   * review): its revision (null until the first save creates it). `revision` stays the live one.
   */
  pending: { revision: number | null } | null;
  /** An editor may also stage a change of this live story for review instead of publishing it. */
  mayStage: boolean;
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
  /** Present when saving the pending change (null: start one); see StoryEditorBoot.pending. */
  pendingRevision?: number | null;
}

export interface SaveOk {
  /** The live story's revision (unchanged by a save of its pending change). */
  revision: number;
  /** Set when the save went to the pending change: its new revision. */
  pendingRevision?: number;
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
