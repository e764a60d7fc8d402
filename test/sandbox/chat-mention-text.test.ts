/** The chat page's mention logic: the `@name` at the caret, who it could be, what is sent. */
import {
  membersMatching,
  mentionQueryAt,
  resolveMentions,
} from '../../src/sandbox/chat/mention-text';

const BOT = { id: 'BOT', displayName: 'Recording Audit' };
const ADA = { id: 'ADA', displayName: 'Ada Admin' };
const ADAM = { id: 'ADAM', displayName: 'Ada' };
const MEMBERS = [BOT, ADA, ADAM];

describe('mentionQueryAt', () => {
  it.each([
    ['@', { start: 0, query: '' }],
    ['ask @Rec', { start: 4, query: 'Rec' }],
    ['@Recording Au', { start: 0, query: 'Recording Au' }],
    ['line one\n@a', { start: 9, query: 'a' }],
  ])('finds the @ being typed in %j', (text, expected) => {
    expect(mentionQueryAt(text)).toEqual(expected);
  });

  it.each(['mail host@example.com', 'no at here', '@two\nlines', '@@'])(
    'finds none in %j',
    (text) => {
      expect(mentionQueryAt(text)).toBeUndefined();
    },
  );
});

describe('membersMatching', () => {
  it('matches the start of the name or of any word, ignoring case', () => {
    expect(membersMatching('', MEMBERS)).toEqual(MEMBERS);
    expect(membersMatching('aud', MEMBERS)).toEqual([BOT]);
    expect(membersMatching('ADA', MEMBERS)).toEqual([ADA, ADAM]);
    expect(membersMatching('recording a', MEMBERS)).toEqual([BOT]);
    expect(membersMatching('zed', MEMBERS)).toEqual([]);
  });
});

describe('resolveMentions', () => {
  it('turns a member’s @name into mention markup, anywhere after white space', () => {
    expect(resolveMentions('@Recording Audit help', MEMBERS)).toEqual({
      markdown: '<@personId:BOT|Recording Audit> help',
      mentioned: [BOT],
      unknown: [],
    });
    expect(resolveMentions('help @recording audit, please', MEMBERS).markdown).toBe(
      'help <@personId:BOT|Recording Audit>, please',
    );
  });

  it('prefers the longest name and lists each member once', () => {
    const resolved = resolveMentions('@Ada Admin and @Ada and @Ada Admin', MEMBERS);
    expect(resolved.markdown).toBe(
      '<@personId:ADA|Ada Admin> and <@personId:ADAM|Ada> and <@personId:ADA|Ada Admin>',
    );
    expect(resolved.mentioned).toEqual([ADA, ADAM]);
  });

  it('reports @words that name nobody and leaves them, and addresses, as typed', () => {
    expect(resolveMentions('@Recording help, mail host@example.com @', MEMBERS)).toEqual({
      markdown: '@Recording help, mail host@example.com @',
      mentioned: [],
      unknown: ['@Recording'],
    });
    // A name must end where the word does: "@Adam" is not "@Ada".
    expect(resolveMentions('@Adam', MEMBERS).unknown).toEqual(['@Adam']);
  });

  it('keeps | and > out of the markup’s name', () => {
    const odd = { id: 'ODD', displayName: 'A|B>C' };
    expect(resolveMentions('@A|B>C hi', [odd]).markdown).toBe('<@personId:ODD|A B C> hi');
  });
});
