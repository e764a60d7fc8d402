import { notUnderstoodReply, welcomeReply } from '../../src/bot/commands/short-answers';
import { translatorFor } from '../../src/locales';
import { parseCardAction } from '../../src/report/card-actions';
import { codeSpan, hasWords } from '../../src/report/short-answer';
import { cardLines } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';
import { cardActions } from '../helpers/stack';

const HEX = '4f914b1dfe3c4d11a61730f18c0f5387';
const en = translatorFor('en-US');

/** The one button of a short answer, as a Webex client would send it back. */
function helpButton(card: unknown) {
  const buttons = cardActions(card);
  expect(buttons).toHaveLength(1);
  expect(buttons[0]).toMatchObject({ type: 'Action.Submit' });
  return buttons[0];
}

describe('notUnderstoodReply', () => {
  test('a typo: the closest command with the arguments, and a Help button', () => {
    const reply = notUnderstoodReply(`audti ${HEX}`, en);
    expect(reply.markdown).toBe(`Did you mean \`audit ${HEX}\`?`);
    expectValidCard(reply.card);
    expect(cardLines(reply.card)).toEqual([`Did you mean **audit ${HEX}**?`]);
    const button = helpButton(reply.card);
    expect(button.title).toBe('Help');
    expect(parseCardAction(button.data ?? {})).toEqual({ action: 'help.show' });
  });

  test('Help remembers the thread of a group space', () => {
    const button = helpButton(notUnderstoodReply('recordigns', en, 'thread-1').card);
    expect(parseCardAction(button.data ?? {})).toEqual({
      action: 'help.show',
      threadId: 'thread-1',
    });
  });

  test('what was typed cannot break out of the code span or the bold', () => {
    const reply = notUnderstoodReply('timezne `<@all>` **boss** [x](https://evil.example)', en);
    expect(reply.markdown).toBe(
      "Did you mean `timezone '<\u2060@all>' **boss** [x](https://evil.example)`?",
    );
    const [line] = (reply.card as { body: Array<{ text: string }> }).body.map((b) => b.text);
    expect(line.startsWith('Did you mean **timezone ')).toBe(true);
    expect(line.endsWith('**?')).toBe(true);
    const inside = line.slice('Did you mean **'.length, -'**?'.length);
    // Every markdown character the person typed is escaped; links are broken.
    expect(inside).not.toMatch(/(^|[^\\])[*[\]()<>`]/);
    expect(inside).not.toContain('https://');
  });

  test('long input is cut short in both', () => {
    const reply = notUnderstoodReply(`audti ${'y'.repeat(500)}`, en);
    expect(reply.markdown.length).toBeLessThan(200);
    expect(reply.markdown).toMatch(/…`\?$/);
    expect(cardLines(reply.card)[0].length).toBeLessThan(200);
  });

  test.each(['', '👍', '🎉 🎉', '???'])('%p gets the line without a quote', (text) => {
    const reply = notUnderstoodReply(text, en);
    expect(reply.markdown).toBe("I didn't understand that. Try `audit <recording link>` or Help.");
    expect(cardLines(reply.card)).toEqual([
      "I didn't understand that. Try **audit <recording link>** or Help.",
    ]);
  });

  test('words that are no command are quoted back, escaped', () => {
    const reply = notUnderstoodReply('what is _this_', en);
    expect(reply.markdown).toBe(
      'I didn\'t understand "what is \\_this\\_". Try `audit <recording link>` or Help.',
    );
  });

  test('in the person’s language', () => {
    const de = translatorFor('de-DE');
    const reply = notUnderstoodReply('recordigns', de);
    expect(reply.markdown).toBe('Meintest du `recordings`?');
    expect(helpButton(reply.card).title).toBe('Hilfe');
    expect(notUnderstoodReply('👍', translatorFor('ja-JP')).markdown).toContain(
      '`audit <録画のリンク>`',
    );
  });
});

describe('welcomeReply', () => {
  test('says what the bot does, how to start, and that reports go privately', () => {
    const reply = welcomeReply('dm', en);
    expectValidCard(reply.card);
    expect(reply.markdown.split('\n\n')).toEqual([
      "Hi, I'm Recording Audit: I show who viewed or downloaded a Webex meeting recording, and when.",
      'To start, type `audit <recording link>`.',
      'In a group space like this one, @mention me first; I send each report privately to the person who asked.',
    ]);
    expect(cardLines(reply.card)[1]).toBe('To start, type **audit <recording link>**.');
    expect(parseCardAction(helpButton(reply.card).data ?? {})).toEqual({ action: 'help.show' });
  });

  test('under GROUP_REPLY=room it says reports are posted in the space', () => {
    const reply = welcomeReply('room', en);
    expect(reply.markdown).toContain('I post reports here in the space');
    expect(reply.markdown).not.toContain('privately');
  });

  test.each(['de-DE', 'fr-FR', 'es-ES', 'ja-JP'])('is written in %s', (locale) => {
    const reply = welcomeReply('dm', translatorFor(locale));
    expectValidCard(reply.card);
    expect(reply.markdown).not.toContain('Hi, I');
    expect(reply.markdown).toContain('Recording Audit');
  });
});

describe('pieces', () => {
  test('codeSpan keeps backticks and line breaks out', () => {
    expect(codeSpan('a `b`\nc')).toBe("`a 'b' c`");
  });

  test('hasWords', () => {
    expect(hasWords('probe 3')).toBe(true);
    expect(hasWords('Grüße')).toBe(true);
    expect(hasWords('👍 ?!')).toBe(false);
    expect(hasWords('')).toBe(false);
  });
});
