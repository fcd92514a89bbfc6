# Masthead behind Varnish 7.1 (Debian's varnish + varnish-modules for vmod xkey).
#
#   varnishd -a :80 -f /etc/varnish/masthead.vcl -s malloc,1G
#
# with masthead-backend.vcl (backend address, purge ACL) next to this file. The app decides
# what may be cached and for how long (Cache-Control with s-maxage, stale-while-revalidate,
# stale-if-error) and names what each response shows (the `xkey` / `Surrogate-Key` headers,
# e.g. `story:<uuid> section:<uuid> lists:site`). After every committed change the app sends
#
#   PURGE / HTTP/1.1
#   xkey-purge: story:<uuid> lists:site …
#
# and exactly the responses carrying one of those tags are dropped. `xkey-purge: *` drops
# everything (after a bulk import, or when a node lost its change channel).

vcl 4.1;

import std;
import xkey;

# Backend and extra purge addresses live in the site's own file (relative to this one).
include "./masthead-backend.vcl";

# This machine may always purge: an app node running next to Varnish needs no configuration.
acl masthead_local {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Internal request headers (X-Masthead-*) are ours; a client must not be able to set them.
    if (req.restarts == 0) {
        unset req.http.X-Masthead-Encoding;
        unset req.http.X-Masthead-Refetch;
        unset req.http.X-Masthead-Origin-Failed;
    }

    if (req.method == "PURGE") {
        call masthead_purge;
    }

    # Built-in rules: lower-case Host (one cache entry per host), require Host on HTTP/1.1,
    # pipe unknown methods, pass anything but GET and HEAD (comment posts, sign-in, API writes).
    call vcl_req_host;
    call vcl_req_method;

    # The newsroom and the reader's own pages (/comments/account, /comments/session, sign-in,
    # the comment forms) are personal: never cached, cookies passed untouched. A story's public
    # thread, /<section>/<slug>/comments, is the same for everyone and stays cacheable.
    if (req.url ~ "^/newsroom(/|\?|$)" || req.url ~ "^/comments(/|\?|$)") {
        return (pass);
    }

    # API clients with a token, and anything else that authenticates, see their own answers.
    if (req.http.Authorization) {
        return (pass);
    }

    # Masthead's cookies all start with masthead_ (masthead_session and masthead_login_csrf
    # at /newsroom, masthead_reader and masthead_reader_form at /, masthead_flash): a request
    # carrying one belongs to someone signed in or signing in, so it goes to the app.
    if (req.http.Cookie ~ "(^|;)\s*masthead_[^=;]*=") {
        return (pass);
    }
    # Any other cookie (analytics, consent banners) never changes a public page, and would
    # make every request a miss under the built-in rules: drop it here.
    unset req.http.Cookie;

    # One cache entry per encoding the app offers, not per browser's spelling of the header:
    # brotli, else gzip, else identity. Varnish itself rewrites Accept-Encoding to "gzip" (or
    # removes it) after this subroutine when http_gzip_support is on, which would lose brotli,
    # so the choice is kept in X-Masthead-Encoding, hashed (vcl_hash) and restored for the
    # fetch (vcl_backend_fetch). The app's `Vary: Accept-Encoding` is kept as sent.
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b") {
        set req.http.X-Masthead-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b") {
        set req.http.X-Masthead-Encoding = "gzip";
    } else {
        set req.http.X-Masthead-Encoding = "identity";
    }
    if (req.http.X-Masthead-Encoding == "identity") {
        unset req.http.Accept-Encoding;
    } else {
        set req.http.Accept-Encoding = req.http.X-Masthead-Encoding;
    }

    # A copy past its stale-while-revalidate window (see vcl_hit) is fetched again; the copy
    # stays usable only if the origin fails. req.grace caps the object's grace for this lookup
    # and survives a restart, so the retry after a failure lifts the cap again.
    if (req.http.X-Masthead-Refetch) {
        set req.grace = 0s;
    } elsif (req.http.X-Masthead-Origin-Failed) {
        set req.grace = 3650d;
    }
    return (hash);
}

# PURGE from an allowed address: `xkey-purge: <tags…>` removes every object carrying one of
# the tags (space or comma separated); `xkey-softpurge` only expires them, so they may still
# be served within their grace while a fresh copy is fetched (use it when a moment of stale
# content is acceptable; Masthead sends hard purges, as a correction must not be served again).
# A `*` tag bans everything.
sub masthead_purge {
    if (!(client.ip ~ masthead_local || client.ip ~ masthead_purgers)) {
        return (synth(403, "Purge not allowed from this address"));
    }
    if (req.http.xkey-purge ~ "(^|[\s,])\*($|[\s,])" || req.http.xkey-softpurge ~ "(^|[\s,])\*($|[\s,])") {
        # obj.* only, so the ban lurker clears matching objects in the background.
        ban("obj.status != 0");
        return (synth(200, "Banned everything"));
    }
    if (req.http.xkey-purge) {
        return (synth(200, "Purged " + xkey.purge(req.http.xkey-purge) + " objects"));
    }
    if (req.http.xkey-softpurge) {
        return (synth(200, "Soft-purged " + xkey.softpurge(req.http.xkey-softpurge) + " objects"));
    }
    return (synth(400, "PURGE needs an xkey-purge or xkey-softpurge header"));
}

sub vcl_hash {
    # Brotli copies apart from gzip/identity ones (Varnish's own Vary handling only ever sees
    # "gzip" or nothing, see vcl_recv). The URL and Host are added by the built-in vcl_hash.
    if (req.http.X-Masthead-Encoding == "br") {
        hash_data("br");
    }
}

sub vcl_hit {
    # Fresh (within s-maxage): serve it.
    if (obj.ttl >= 0s) {
        return (deliver);
    }
    # Within stale-while-revalidate: serve it while Varnish refreshes it in the background.
    if (obj.ttl + std.duration(obj.http.X-Masthead-SWR + "s", 0s) > 0s) {
        return (deliver);
    }
    # Within stale-if-error only, and the origin has just failed (or its probe says it is
    # down; declare one in masthead-backend.vcl so readers do not wait for a timeout first):
    # serve the stale copy.
    if (req.http.X-Masthead-Origin-Failed || !std.healthy(req.backend_hint)) {
        return (deliver);
    }
    # Within stale-if-error only: ask the origin now (concurrent readers wait for one fetch)
    # and keep this copy for the case it fails (vcl_backend_response, vcl_synth).
    set req.http.X-Masthead-Refetch = "1";
    return (restart);
}

sub vcl_backend_fetch {
    # A stale copy served because the origin just failed (vcl_hit) would start a background
    # refresh too; the failed fetch was that attempt, the next reader makes the next one.
    if (bereq.is_bgfetch && bereq.http.X-Masthead-Origin-Failed) {
        return (abandon);
    }
    if (bereq.http.X-Masthead-Encoding == "br") {
        set bereq.http.Accept-Encoding = "br";
    }
    unset bereq.http.X-Masthead-Encoding;
}

sub vcl_backend_response {
    # vmod xkey indexes the `xkey` header; a CDN-neutral origin may send only Surrogate-Key.
    if (!beresp.http.xkey && beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }

    # Varnish sets the TTL from s-maxage (before max-age and Expires). Grace is how long past
    # it Varnish may still answer from the object: stale-while-revalidate (answer and refresh
    # in the background) or stale-if-error (answer only when the origin fails), whichever is
    # longer; vcl_hit tells the two apart with the stale-while-revalidate kept on the object.
    # (Varnish's `keep` only serves conditional refetches, it never answers a reader, so
    # stale-if-error has to live in grace.)
    set beresp.http.X-Masthead-SWR = "0";
    if (beresp.http.Cache-Control ~ "(?i)stale-while-revalidate=\d+") {
        set beresp.http.X-Masthead-SWR = regsub(beresp.http.Cache-Control, "(?i)^.*stale-while-revalidate=(\d+).*$", "\1");
    }
    set beresp.grace = std.duration(beresp.http.X-Masthead-SWR + "s", 0s);
    if (beresp.http.Cache-Control ~ "(?i)stale-if-error=\d+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "(?i)^.*stale-if-error=(\d+).*$", "\1") + "s", 0s);
        if (beresp.grace < std.duration(beresp.http.X-Masthead-SWR + "s", 0s)) {
            set beresp.grace = std.duration(beresp.http.X-Masthead-SWR + "s", 0s);
        }
    }

    # The origin failed while a stale copy may be served instead: a background refresh keeps
    # the old object; a refetch (vcl_hit) ends in vcl_synth, which retries from the cache.
    if (beresp.status >= 500 && (bereq.is_bgfetch || bereq.http.X-Masthead-Refetch)) {
        return (abandon);
    }
    # Everything else follows the built-in rules: no-store/private/no-cache, Set-Cookie,
    # Vary: * and a zero TTL are not cached.
}

sub vcl_backend_error {
    # The origin is unreachable or timed out: same as a 5xx above.
    if (bereq.is_bgfetch || bereq.http.X-Masthead-Refetch) {
        return (abandon);
    }
}

sub vcl_synth {
    # A refetch past stale-while-revalidate failed: go back to the cache for the stale copy.
    if (resp.status == 503 && req.http.X-Masthead-Refetch && !req.http.X-Masthead-Origin-Failed) {
        unset req.http.X-Masthead-Refetch;
        set req.http.X-Masthead-Origin-Failed = "1";
        return (restart);
    }
}

sub vcl_deliver {
    # Tags are for caches; browsers never see them (nor our bookkeeping).
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Masthead-SWR;
    # For people and monitoring; Age and X-Varnish (two ids on a hit) say the same.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
