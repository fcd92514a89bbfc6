/*
 * Where readers fetch a stored image file. Without a public base (the default) the app serves
 * media itself under `/media/<key>/<file>`; with MASTHEAD_MEDIA_PUBLIC_URL (a public bucket or
 * a CDN) pages, feeds and the APIs link the files there directly, absolute.
 *
 * The base is a deployment-wide setting, the same on every node, so it is held once per process
 * (set by `createDeps` from the config) rather than threaded through every view that draws a
 * picture. Two apps with different bases in one process would share the last one set.
 */

let publicBase: string | undefined;
let publicOrigin: string | undefined;

/** Sets the public base URL (no trailing slash needed), or undefined to serve through the app. */
export function setMediaPublicUrl(base: string | undefined): void {
  publicBase = base?.replace(/\/+$/, '');
  publicOrigin = publicBase ? new URL(publicBase).origin : undefined;
}

/** The origin of the public base (for the pages' Content-Security-Policy), or undefined. */
export function mediaPublicOrigin(): string | undefined {
  return publicOrigin;
}

/** A stored file's URL for `base`: absolute under it, else the app's `/media/` path. */
export function mediaFileUrl(base: string | undefined, key: string, file: string): string {
  return base ? `${base}/${key}/${file}` : `/media/${key}/${file}`;
}

/** The URL a page links a stored file by: absolute when a public base is set, else `/media/...`. */
export function mediaSrc(key: string, file: string): string {
  return mediaFileUrl(publicBase, key, file);
}

/** An absolute URL of a stored file (feeds, structured data, APIs): the public base, else the site's origin. */
export function absoluteMediaUrl(origin: string, key: string, file: string): string {
  return publicBase ? mediaFileUrl(publicBase, key, file) : `${origin.replace(/\/+$/, '')}/media/${key}/${file}`;
}

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

/** The Content-Type of a stored file, by its extension. */
export function mediaContentType(file: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/** Originals keep the photo's embedded metadata (GPS too): never public, newsroom only. */
export function isOriginalFile(file: string): boolean {
  return /^original\.[a-z0-9]+$/i.test(file);
}

/** Rendition and crop file names never change content (a new upload gets a new key). */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';
