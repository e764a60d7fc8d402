/**
 * manifest.json is the one description of the bot's commands: the router, the help card and
 * the README must all agree with it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_HANDLERS } from '../../src/bot/dispatcher';
import { loadManifest } from '../../src/bot/manifest';
import { parseCommand } from '../../src/bot/commands/parse';
import { REQUIRED_WEBHOOKS } from '../../src/bot/webhooks';

const manifest = loadManifest();

describe('manifest.json', () => {
  it('lists exactly the commands the router handles', () => {
    expect(manifest.commands.map((c) => c.name).sort()).toEqual(
      Object.keys(COMMAND_HANDLERS).sort(),
    );
  });

  it('has examples that parse as their own command', () => {
    for (const command of manifest.commands) {
      for (const example of command.examples) {
        expect({ example, kind: parseCommand(example).kind }).toEqual({
          example,
          kind: command.name,
        });
      }
    }
  });

  it('lists the webhooks the bot registers', () => {
    expect(manifest.webhooks.map((w) => `${w.resource}/${w.event}`).sort()).toEqual(
      REQUIRED_WEBHOOKS.map((w) => `${w.resource}/${w.event}`).sort(),
    );
  });

  it('asks for the recording scopes the Webex API needs', () => {
    expect(manifest.scopes.user).toEqual(
      expect.arrayContaining(['meeting:recordings_read', 'spark:people_read']),
    );
    expect(manifest.scopes.admin).toEqual(['meeting:admin_recordings_read']);
  });

  it("matches the README's command table row for row", () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const commandsSection = readme.split('## Commands')[1].split('\n## ')[0];
    const rows = commandsSection
      .split('\n')
      .filter((line) => /^\| `/.test(line))
      .map((line) => {
        const [, syntax, description] = /^\| `(.+?)`\s*\|\s*(.+?)\s*\|$/.exec(line) ?? [];
        return { syntax: syntax?.replace(/\\\|/g, '|'), description };
      });
    expect(rows).toEqual(
      manifest.commands.map(({ syntax, description }) => ({ syntax, description })),
    );
  });
});
