/**
 * Writes the trimmed copies of Webex's OpenAPI files that the contract tests read
 * (test/fixtures/webex-openapi/): only the paths below, every component their `$ref`s reach
 * (transitively), the tags those operations use and the security schemes.
 *
 * Usage: node scripts/vendor-openapi.mjs <dir with webex-messaging.json and webex-meeting.json>
 * Source: https://github.com/webex/webex-openapi-specs, folder public-spec/ (CC BY 4.0).
 * When the sandbox gains a route, add its path here and re-run: the contract test only
 * knows the paths kept here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'webex-openapi',
);

/** The paths each file keeps: the resources the sandbox serves, with all their methods. */
const KEEP = {
  'webex-messaging.json': [
    '/people',
    '/people/me',
    '/people/{personId}',
    '/rooms',
    '/rooms/{roomId}',
    '/memberships',
    '/memberships/{membershipId}',
    '/messages',
    '/messages/{messageId}',
    '/webhooks',
    '/webhooks/{webhookId}',
    '/attachment/actions',
    '/attachment/actions/{id}',
  ],
  'webex-meeting.json': [
    '/recordingReport/accessDetail',
    '/recordingReport/accessSummary',
    '/recordings',
    '/recordings/{recordingId}',
  ],
};

/**
 * Schemas a test reaches by name rather than through a kept path
 * (contract.test.ts validates message attachments as `AdaptiveCard`).
 */
const EXTRA_REFS = {
  'webex-messaging.json': ['#/components/schemas/AdaptiveCard'],
  'webex-meeting.json': [],
};

/** Every `$ref` string anywhere inside `value`. */
function refsIn(value, found = []) {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

/** `#/components/schemas/Foo` → ['schemas', 'Foo']; other refs are not supported. */
function componentOf(ref) {
  const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}`);
  return [match[1], decodeURIComponent(match[2]).replace(/~1/g, '/').replace(/~0/g, '~')];
}

/**
 * The spec with only `keptPaths` and what they reach.
 *
 * @example
 * trim(spec, ['/people/me'], []).paths; // { '/people/me': { get: … } }
 */
function trim(spec, keptPaths, extraRefs) {
  const paths = {};
  for (const p of keptPaths) {
    if (!spec.paths[p]) throw new Error(`path ${p} is not in the source file`);
    paths[p] = spec.paths[p];
  }
  const components = {};
  const pending = [...refsIn(paths), ...extraRefs];
  while (pending.length > 0) {
    const [kind, name] = componentOf(pending.pop());
    if (components[kind]?.[name]) continue;
    const target = spec.components[kind]?.[name];
    if (!target) throw new Error(`$ref #/components/${kind}/${name} is missing from the source`);
    (components[kind] ??= {})[name] = target;
    pending.push(...refsIn(target));
  }
  for (const kind of Object.keys(components)) {
    components[kind] = Object.fromEntries(
      Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  if (spec.components.securitySchemes) {
    components.securitySchemes = spec.components.securitySchemes;
  }
  const usedTags = new Set(
    Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? [])),
  );
  return {
    openapi: spec.openapi,
    info: spec.info,
    tags: (spec.tags ?? []).filter((tag) => usedTags.has(tag.name)),
    paths,
    components,
  };
}

const sourceDir = process.argv[2];
if (!sourceDir) {
  console.error('usage: node scripts/vendor-openapi.mjs <dir with the original OpenAPI files>');
  process.exit(2);
}
for (const [file, keptPaths] of Object.entries(KEEP)) {
  const spec = JSON.parse(readFileSync(path.join(sourceDir, file), 'utf8'));
  const trimmed = trim(spec, keptPaths, EXTRA_REFS[file]);
  const text = `${JSON.stringify(trimmed, null, 2)}\n`;
  writeFileSync(path.join(OUT_DIR, file), text);
  const schemas = Object.keys(trimmed.components.schemas ?? {}).length;
  console.log(`${file}: ${keptPaths.length} paths, ${schemas} schemas, ${text.length} bytes`);
}
