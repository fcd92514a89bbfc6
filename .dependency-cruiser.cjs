/*
 * Layering (conventions.md §2): entry areas (site, newsroom, api, cli, jobs) → render → domain → db,
 * with http (plumbing) beside render. Entry areas never import each other: what one needs of
 * another is passed in by app.ts, the composition root.
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
      to: { path: '^src/(domain|render|site|http|newsroom|api|cli|jobs|demo|fanout)/|^src/(app|deps|main)\\.ts$' },
    },
    {
      name: 'domain-stays-framework-free',
      comment: 'Domain services are plain functions of (deps, input); HTTP, views and wiring live at the edge.',
      severity: 'error',
      // A domain test may drive the background loop that runs its service (jobs/); shipped domain code may not.
      from: { path: '^src/domain/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^src/(site|render|http|newsroom|api|cli|jobs|fanout)/',
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
      name: 'story-write-side-knows-no-read-model',
      comment:
        'domain/articles holds the story and its one write path; the read models (domain/published for readers and the API, domain/desk for the newsroom) build on it, never the reverse.',
      severity: 'error',
      from: { path: '^src/domain/articles/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/domain/(published|desk)/' },
    },
    {
      name: 'readers-models-stay-out-of-the-desk',
      comment: 'What readers and API clients see must not depend on newsroom-only read models.',
      severity: 'error',
      from: { path: '^src/domain/published/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/domain/desk/' },
    },
    {
      name: 'editorial-notes-stay-in-the-newsroom',
      comment:
        "The desk's notes on a draft must never reach readers, feeds, APIs, exports or webhooks: only the desk's read models and the newsroom may read them.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(domain/desk|newsroom)/|\\.test\\.ts$' },
      to: { path: '^src/domain/desk/editorial-notes' },
    },
    {
      name: 'no-imports-between-entry-areas',
      comment:
        'site, newsroom, api, cli and jobs are separate rooms: shared rendering lives in src/render, shared plumbing in src/http, and anything else one needs of another is injected by app.ts.',
      severity: 'error',
      from: { path: '^src/(site|newsroom|api|cli|jobs)/' },
      to: { path: '^src/(site|newsroom|api|cli|jobs)/', pathNot: '^src/$1/' },
    },
    {
      name: 'render-is-shared-by-entry-areas',
      comment:
        'src/render (the block document renderer, pictures) is used by the site, newsroom and API, so it must not depend on any of them.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(site|newsroom|api|cli|jobs|demo|db)/|^src/(app|deps|main)\\.ts$' },
    },
    {
      name: 'src-never-imports-test-code',
      comment: 'The build ships src/ only; test helpers live under test/ and are imported by *.test.ts files alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/|\\.test\\.ts$|test-support\\.ts$' },
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
