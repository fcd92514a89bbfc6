/*
 * Layering (conventions.md §2): entry areas (site, http, app, newsroom, api) → domain → db.
 * `npm run lint:layers` fails the build on any violation. Type-only imports count too:
 * a domain file that needs a Fastify type is already leaking HTTP into the domain.
 */

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'db-is-the-bottom-layer',
      comment: 'src/db holds SQL plumbing only; it must not know about the domain, the site, HTTP or the app.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(domain|site|http|newsroom|api)/|^src/(app|deps|main)\\.ts$' },
    },
    {
      name: 'domain-stays-framework-free',
      comment: 'Domain services are plain functions of (deps, input); HTTP, views and wiring live at the edge.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          '^src/(site|http|newsroom|api)/',
          '^src/(app|deps|main)\\.ts$',
          '(^|/)node_modules/(fastify|@fastify/[^/]+)/',
        ],
      },
    },
    {
      name: 'site-goes-through-the-domain',
      comment: 'Public pages, the newsroom and the APIs read and write data through domain services, never straight from src/db.',
      severity: 'error',
      from: { path: '^src/(site|newsroom|api)/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make module init order fragile and blur the layering.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
