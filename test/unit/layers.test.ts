/**
 * The layer rules in eslint.config.mjs really fail a crossing. ESLint loads its ES-module
 * config with `import()`, which Jest's module sandbox does not allow, so the snippets are
 * linted by ESLint's Node API in one child process.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface Snippet {
  /** Where the snippet pretends to live: the rules are chosen by path. */
  filePath: string;
  importLine: string;
}

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

const root = path.resolve(__dirname, '../..');

const forbidden: Snippet[] = [
  { filePath: 'src/report/x.ts', importLine: "import { a } from 'node:fs';" },
  { filePath: 'src/report/x.ts', importLine: "import { a } from 'fs/promises';" },
  { filePath: 'src/report/x.ts', importLine: "import type { a } from '../webex/types';" },
  { filePath: 'src/report/x.ts', importLine: "import { a } from '../store';" },
  { filePath: 'src/report/x.ts', importLine: "import { a } from '../bot/manifest';" },
  { filePath: 'src/report/x.ts', importLine: "import { a } from '../server/app';" },
  { filePath: 'src/report/x.ts', importLine: "import { a } from '../cards';" },
  { filePath: 'src/report/deeper/x.ts', importLine: "import { a } from '../../webex/types';" },
  { filePath: 'src/bot/x.ts', importLine: "import type { a } from '../server/metrics';" },
  { filePath: 'src/bot/commands/x.ts', importLine: "import { a } from '../../server/envelope';" },
  { filePath: 'src/sandbox/x.ts', importLine: "import { a } from '../app';" },
  { filePath: 'src/sandbox/x.ts', importLine: "import { a } from '../auth/token-crypto';" },
  { filePath: 'src/sandbox/routes/x.ts', importLine: "import { a } from '../../bot/manifest';" },
  { filePath: 'src/sandbox/chat/client/x.ts', importLine: "import { a } from '../../../log';" },
  { filePath: 'src/app.ts', importLine: "import { a } from './sandbox/server';" },
  { filePath: 'src/bot/x.ts', importLine: "import { a } from '../sandbox/state';" },
  { filePath: 'src/server/x.ts', importLine: "import { a } from '../modes/webex';" },
  { filePath: 'src/main.ts', importLine: "import { a } from './sandbox/server';" },
  // A dynamic import() would slip past no-restricted-imports.
  { filePath: 'src/bot/x.ts', importLine: "const a = import('../server/receiver');" },
  { filePath: 'src/report/x.ts', importLine: "const a = import('../store');" },
  { filePath: 'src/app.ts', importLine: "const a = import('./modes/webex');" },
  // The framework and the SDK live behind src/bot/framework/.
  { filePath: 'src/app.ts', importLine: "import a from 'webex-node-bot-framework';" },
  { filePath: 'src/bot/x.ts', importLine: "import type { a } from 'webex-node-bot-framework';" },
  { filePath: 'src/bot/commands/x.ts', importLine: "import a from 'webex';" },
  { filePath: 'src/server/x.ts', importLine: "import a from 'webex/env';" },
  {
    filePath: 'src/webex/x.ts',
    importLine: "import a from 'webex-node-bot-framework/lib/process-event';",
  },
  { filePath: 'src/main.ts', importLine: "import a from 'webex';" },
  { filePath: 'src/modes/x.ts', importLine: "import a from 'webex-node-bot-framework';" },
  { filePath: 'src/report/x.ts', importLine: "import a from 'webex';" },
  { filePath: 'src/sandbox/x.ts', importLine: "import a from 'webex-node-bot-framework';" },
];

const allowed: Snippet[] = [
  { filePath: 'src/report/x.ts', importLine: "import type { a } from './types';" },
  { filePath: 'src/report/x.ts', importLine: "import { a } from 'luxon';" },
  { filePath: 'src/webex/x.ts', importLine: "import type { a } from '../report/types';" },
  { filePath: 'src/bot/x.ts', importLine: "import { a } from '../metrics';" },
  { filePath: 'src/bot/commands/x.ts', importLine: "import { a } from '../../report/card-data';" },
  { filePath: 'src/server/x.ts', importLine: "import type { a } from '../bot/envelope';" },
  { filePath: 'src/sandbox/routes/x.ts', importLine: "import { a } from '../state';" },
  { filePath: 'src/sandbox/chat/client/x.ts', importLine: "import { a } from '../../facts.js';" },
  { filePath: 'src/modes/x.ts', importLine: "import { a } from '../sandbox/server';" },
  { filePath: 'src/main.ts', importLine: "import { a } from './modes/webex';" },
  { filePath: 'src/main.ts', importLine: "const a = import('./modes/sandbox.js');" },
  { filePath: 'src/bot/framework/x.ts', importLine: "import a from 'webex-node-bot-framework';" },
  { filePath: 'src/bot/framework/x.ts', importLine: "import a from 'webex';" },
  {
    filePath: 'src/types/x.d.ts',
    importLine: "import type { a } from 'webex-node-bot-framework';",
  },
  { filePath: 'src/bot/x.ts', importLine: "import { a } from './framework';" },
  { filePath: 'src/server/x.ts', importLine: "import { a } from '../webex/client';" },
];

/** Lints every snippet (as `<import>; export const b = a;`) with the project's own config. */
function lintSnippets(snippets: Snippet[]): LintResult[] {
  const script = `
    const { ESLint } = require('eslint');
    const snippets = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    Promise.all(
      snippets.map(async ({ filePath, importLine }) => {
        const [result] = await eslint.lintText(importLine + '\\nexport const b = a;\\n', { filePath });
        return { filePath, messages: result.messages.map(({ ruleId, message }) => ({ ruleId, message })) };
      }),
    ).then((results) => process.stdout.write(JSON.stringify(results)));
  `;
  const out = execFileSync(process.execPath, ['-e', script, JSON.stringify(snippets)], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(out) as LintResult[];
}

const restricted = (result: LintResult) =>
  result.messages.filter(
    (m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax',
  );

describe('layer rules in eslint.config.mjs', () => {
  let results: LintResult[];
  beforeAll(() => {
    results = lintSnippets([...forbidden, ...allowed]);
  }, 60_000);

  it.each(forbidden.map((s, i) => [s.filePath, s.importLine, i] as const))(
    'in %s, `%s` fails lint',
    (_file, _line, i) => {
      const messages = restricted(results[i]!);
      expect(messages).toHaveLength(1);
      // The message says which rule of the design was broken, not only that one was.
      expect(messages[0]!.message).toMatch(/report\/|emulator|bot\/|modes\//);
    },
  );

  it.each(allowed.map((s, i) => [s.filePath, s.importLine, forbidden.length + i] as const))(
    'in %s, `%s` passes',
    (_file, _line, i) => {
      expect(results[i]!.messages).toEqual([]);
    },
  );
});
