import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/*
 * Layers (see README, "How it is built"). Each block below says what one folder of src/ may
 * not import; `npm run lint` fails on a crossing, and test/unit/layers.test.ts proves it does.
 * Flat config does not merge the options of one rule across blocks, so each block lists all
 * of its bans and the blocks' `files` do not overlap.
 */

/** Import patterns (gitignore style) for a folder or module of src/, reached by any path. */
const folder = (...names) => names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);

const emulatorBan = {
  group: folder('sandbox'),
  message: 'Only src/modes/ starts the emulator; the rest of the bot never imports src/sandbox/.',
};
const modesBan = {
  group: folder('modes'),
  message: 'src/modes/ starts the bot; only src/main.ts picks a mode.',
};
/** The framework and its SDK are hosted by src/bot/framework/ alone (typed in src/types/). */
const frameworkBan = {
  regex: '^(webex-node-bot-framework|webex)(/.*)?$',
  message:
    'Only src/bot/framework/ touches webex-node-bot-framework and the Webex SDK; use its adapter.',
};
const restrict = (files, patterns, extra = {}) => ({
  files,
  ...extra,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** `depth` folders below src/sandbox/: any import climbing that many levels leaves it. */
const leavesSandbox = (depth) =>
  restrict(
    [`src/sandbox/${'*/'.repeat(depth - 1)}*.ts`],
    [
      frameworkBan,
      {
        regex: `^(\\./)?(\\.\\./){${depth}}`,
        message: 'The emulator (src/sandbox/) never imports product code.',
      },
    ],
  );

/** The same for src/report/, which imports only itself and libraries. */
const leavesReport = (depth) => ({
  files: [`src/report/${'*/'.repeat(depth - 1)}*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
          name,
          message: 'src/report/ is pure: inject what it needs (e.g. card templates).',
        })),
        patterns: [
          frameworkBan,
          {
            regex: `^(\\./)?(\\.\\./){${depth}}`,
            message:
              'src/report/ is pure: it imports only report/ and libraries, never webex/, store/, bot/ or server/.',
          },
        ],
      },
    ],
  },
});

const serverBan = {
  group: folder('server'),
  message:
    'bot/ does not import server/: shared types live on the bot side (bot/envelope) or in their own module (metrics).',
};

const layerRules = [
  restrict(['src/**/*.ts'], [emulatorBan, modesBan, frameworkBan], {
    ignores: [
      'src/sandbox/**',
      'src/modes/**',
      'src/main.ts',
      'src/report/**',
      'src/bot/**',
      'src/types/**',
    ],
  }),
  restrict(['src/main.ts'], [emulatorBan, frameworkBan]),
  restrict(['src/modes/**/*.ts'], [frameworkBan]),
  restrict(['src/types/**/*.ts'], [emulatorBan, modesBan]),
  restrict(['src/bot/**/*.ts'], [emulatorBan, modesBan, serverBan, frameworkBan], {
    ignores: ['src/bot/framework/**'],
  }),
  restrict(['src/bot/framework/**/*.ts'], [emulatorBan, modesBan, serverBan]),
  {
    // A dynamic import() is not checked by no-restricted-imports, so it could cross any layer.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression',
          message:
            'No dynamic import() in src/: the layer rules cannot see it. Only src/main.ts loads src/modes/ lazily; a lazy library is a require() with a reason.',
        },
      ],
    },
  },
  // Deep enough for today's tree and a level more.
  ...[1, 2, 3].map(leavesReport),
  ...[1, 2, 3, 4].map(leavesSandbox),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // A `let` read by a closure before its single assignment is intended (late binding).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Build and tool scripts run by Node as ES modules.
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  ...layerRules,
);
