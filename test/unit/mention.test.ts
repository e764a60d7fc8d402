import { stripMention } from '../../src/bot/mention';

const bot = { id: 'BOT_ID', displayName: 'Recording Audit' };

describe('stripMention', () => {
  it('removes the bot mention using the html Webex sends', () => {
    const text = stripMention(
      {
        text: 'Recording Audit audit abc',
        html: '<p><spark-mention data-object-type="person" data-object-id="BOT_ID">Recording Audit</spark-mention> audit   abc</p>',
        mentionedPeople: ['BOT_ID'],
      },
      bot,
    );
    expect(text).toBe('audit abc');
  });

  it('keeps mentions of other people', () => {
    const text = stripMention(
      {
        html: '<spark-mention data-object-id="BOT_ID">Recording</spark-mention> help <spark-mention data-object-id="P2">Ada</spark-mention>',
        mentionedPeople: ['BOT_ID', 'P2'],
      },
      bot,
    );
    expect(text).toBe('help Ada');
  });

  it('falls back to the display name, or the first name people shorten it to', () => {
    expect(stripMention({ text: 'Recording Audit help', mentionedPeople: ['BOT_ID'] }, bot)).toBe(
      'help',
    );
    expect(stripMention({ text: 'recording help', mentionedPeople: ['BOT_ID'] }, bot)).toBe('help');
  });

  it('leaves text alone when the bot is not mentioned, folding white space', () => {
    expect(stripMention({ text: '  help \n me ' }, bot)).toBe('help me');
    expect(stripMention({}, bot)).toBe('');
  });
});
