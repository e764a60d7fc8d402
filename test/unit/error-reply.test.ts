import { errorReply } from '../../src/bot/commands/notice';
import { translatorFor } from '../../src/locales';
import { WebexApiError } from '../../src/webex/errors';
import { cardOf, cardText } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';

const notFound = () => new WebexApiError('Not found', { status: 404, trackingId: 'TRACK_1' });

describe('error replies say what they are about', () => {
  test('the command and the recording ID, above the tracking ID, on the card and in the text', () => {
    const reply = errorReply(notFound(), { command: 'audit', recordingId: 'rec_0123456789abcdef' });
    expect(reply.markdown).toBe(
      [
        '**Recording not found**',
        "Webex has no recording rec\\_0123456789abcdef that your account can see. Check the ID or link; if someone else hosted it, an admin can add **host** and the host's email.",
        'Command: audit',
        'Recording: rec\\_0123456789abcdef',
        'Webex tracking ID: TRACK\\_1',
      ].join('\n\n'),
    );
    const card = cardOf({ attachments: [{ content: reply.card }] });
    expectValidCard(card);
    expect(cardText(card)).toMatch(
      /Command: audit\nRecording: rec_0123456789abcdef\nWebex tracking ID: TRACK_1$/,
    );
  });

  test('the topic instead of the ID when it is known, escaped', () => {
    const reply = errorReply(
      notFound(),
      { command: 'audit', recordingId: 'rec_0123456789abcdef', topic: '*Board* prep' },
      translatorFor('de-DE'),
    );
    expect(reply.markdown).toContain('Befehl: audit\n\nAufzeichnung: \\*Board\\* prep');
  });

  test('an answer with no context has no facts but the tracking ID', () => {
    const reply = errorReply(notFound());
    expect(reply.markdown).not.toMatch(/Command:|Recording:/);
    expect(reply.markdown).toContain('Webex tracking ID: TRACK\\_1');
  });
});
