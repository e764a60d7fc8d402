/**
 * The bot's manifest (manifest.json at the repository root): the single description of its
 * commands, scopes and webhooks. Help text is built from it, so it cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const commandSchema = z.object({
  name: z.string(),
  syntax: z.string(),
  description: z.string(),
  examples: z.array(z.string()).min(1),
  needsAccount: z.boolean(),
});

const manifestSchema = z.object({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  commands: z.array(commandSchema).min(1),
  scopes: z.object({ user: z.array(z.string()), admin: z.array(z.string()) }),
  webhooks: z.array(z.object({ resource: z.string(), event: z.string(), purpose: z.string() })),
  settings: z.record(z.string(), z.unknown()),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestCommand = z.infer<typeof commandSchema>;

/** Same relative path from src/bot and dist/bot. */
export const MANIFEST_PATH = path.resolve(__dirname, '../../manifest.json');

let cached: Manifest | undefined;

/**
 * The parsed manifest, read once.
 * @example loadManifest().commands.map((c) => c.name) // ['audit', 'connect', ...]
 */
export function loadManifest(): Manifest {
  cached ??= manifestSchema.parse(JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')));
  return cached;
}
