import { parseRecordingRef } from '../../src/bot/commands/recording-ref';

const HEX = '4f914b1dfe3c4d11a61730f18c0f5387';
const B64 = 'Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8xMjM0';
const UUID = '1b8f5a2e-7c1d-4e3a-9f00-0123456789ab';

describe('parseRecordingRef: IDs', () => {
  test.each([HEX, B64, UUID, 'a_b-c'.repeat(4)])('accepts %s', (id) => {
    expect(parseRecordingRef(id)).toEqual({ ok: true, id, from: 'id' });
  });
  test('trims and unwraps', () => {
    expect(parseRecordingRef(`  <${HEX}>  `)).toEqual({ ok: true, id: HEX, from: 'id' });
    expect(parseRecordingRef(`\`${HEX}\`.`)).toEqual({ ok: true, id: HEX, from: 'id' });
    expect(parseRecordingRef(`**${HEX}**`)).toEqual({ ok: true, id: HEX, from: 'id' });
  });
  test.each([
    ['empty', ''],
    ['spaces', '   '],
    ['too short', 'abc123'],
    ['bad characters', '4f914b1dfe3c4d11a617$0f18c0f5387'],
    ['unicode', '４f914b1dfe3c4d11a61730f18c0f5387'],
    ['129 chars', 'a'.repeat(129)],
    ['10k chars', 'a'.repeat(10_000)],
    ['markdown link to elsewhere', `[${HEX}](https://evil.example/${HEX})`],
  ])('rejects %s', (_label, input) => {
    const r = parseRecordingRef(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
  });
});

describe('parseRecordingRef: links', () => {
  test.each([
    `https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}`,
    `https://acme.webex.com/recordingservice/sites/acme/recording/${HEX}/playback`,
    `https://acme.webex.com/recordingservice/sites/acme/recording/${HEX}`,
    `https://acme.webex.com/webappng/sites/acme/recording/${HEX}`,
    `https://acme.webex.com/webappng/sites/acme/recording/playback/${HEX}?from=share`,
    `https://acme.webex.com/acme/ldr.php?RCID=${HEX}`,
    `https://acme.webex.com/acme/lsr.php?recordingID=${HEX}&x=1`,
    `https://ACME.WEBEX.COM/recordingservice/sites/acme/recording/playback/${HEX}`,
    `https://eu.acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}#t=10`,
    `<https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}>`,
    `[recording](https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX})`,
    `acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}`,
    `https://acme.webex.com/recordingservice/sites/acme/recording/playback/${HEX}.`,
  ])('accepts %s', (link) => {
    expect(parseRecordingRef(link)).toEqual({ ok: true, id: HEX, from: 'link' });
  });

  test.each([
    [
      'look-alike host',
      `https://webex.com.evil.example/recordingservice/sites/a/recording/playback/${HEX}`,
    ],
    [
      'look-alike suffix',
      `https://evilwebex.com/recordingservice/sites/a/recording/playback/${HEX}`,
    ],
    [
      'credentials',
      `https://user:pw@acme.webex.com/recordingservice/sites/a/recording/playback/${HEX}`,
    ],
    ['credentials host trick', `https://acme.webex.com@evil.example/recording/playback/${HEX}`],
    ['http', `http://acme.webex.com/recordingservice/sites/a/recording/playback/${HEX}`],
    ['port', `https://acme.webex.com:8443/recordingservice/sites/a/recording/playback/${HEX}`],
    ['javascript', `javascript:alert('${HEX}')`],
    ['data', `data:text/html,${HEX}`],
    ['no id', 'https://acme.webex.com/recordingservice/sites/acme/recording/playback/'],
    [
      'bad id in path',
      'https://acme.webex.com/recordingservice/sites/acme/recording/playback/<script>',
    ],
    ['bad id in query', 'https://acme.webex.com/x?RCID=abc%20def'],
    ['trailing-dot host', `https://acme.webex.com./recording/playback/${HEX}`],
    ['very long link', `https://acme.webex.com/recording/playback/${HEX}?x=${'a'.repeat(10_000)}`],
  ])('rejects %s', (_label, input) => {
    expect(parseRecordingRef(input).ok).toBe(false);
  });

  test('the reason names the foreign host', () => {
    expect(parseRecordingRef(`https://webex.com.evil.example/recording/${HEX}`)).toEqual({
      ok: false,
      reason: 'Only links on webex.com are accepted, not webex.com.evil.example.',
    });
  });
});
