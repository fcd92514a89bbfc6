# Site-specific part of the Masthead VCL, included by masthead.vcl. Edit this file, not
# masthead.vcl, so the shipped rules can be updated without merging your changes.

# The Masthead app (npm start listens on 127.0.0.1:3000 by default; see HOST and PORT).
# Several app nodes: declare one backend per node and a round-robin director in vcl_init
# (vmod directors), or point this at a load balancer.
backend default {
    .host = "127.0.0.1";
    .port = "3000";
    # A slow render must not hold a reader for long; Masthead answers in milliseconds.
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may send PURGE besides this machine (127.0.0.1 and ::1 are always allowed by
# masthead.vcl): add the addresses of app nodes on other hosts, e.g. "10.0.0.0"/8;
# Only addresses the TCP connection comes from count (client.ip), never X-Forwarded-For.
acl masthead_purgers {
    "127.0.0.1";
}
