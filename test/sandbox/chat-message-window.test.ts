/** The chat page's hold on a space's history: newest page polled, older pages loaded on scroll. */
import { withLatest, withOlder, type MessageWindow } from '../../src/sandbox/chat/message-window';

interface Message {
  id: string;
  created: string;
}

/** Messages m<from>..m<to>, one second apart. */
function run(from: number, to: number): Message[] {
  const list: Message[] = [];
  for (let i = from; i <= to; i++) {
    list.push({ id: `m${i}`, created: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() });
  }
  return list;
}

const ids = (window: MessageWindow<Message>) => window.messages.map((m) => m.id);
const empty: MessageWindow<Message> = { messages: [], hasOlder: false };

describe('withLatest', () => {
  it('takes a short answer as the whole room', () => {
    const window = withLatest({ messages: run(1, 9), hasOlder: true }, run(3, 5), 5);
    expect(window).toEqual({ messages: run(3, 5), hasOlder: false });
  });

  it('starts with a full page and says older ones may exist', () => {
    expect(withLatest(empty, run(6, 10), 5)).toEqual({ messages: run(6, 10), hasOlder: true });
  });

  it('keeps older messages when new ones push them out of the page', () => {
    const held = { messages: run(1, 10), hasOlder: false };
    const window = withLatest(held, run(8, 12), 5);
    expect(ids(window)).toEqual(run(1, 12).map((m) => m.id));
    expect(window.hasOlder).toBe(false);
  });

  it('drops a message deleted inside the page', () => {
    const held = { messages: run(1, 10), hasOlder: true };
    const page = run(5, 10).filter((m) => m.id !== 'm7');
    const window = withLatest(held, page, 5);
    expect(ids(window)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'm9', 'm10']);
  });

  it('takes in an older message a delete let into the page', () => {
    const held = { messages: run(6, 10), hasOlder: true };
    const page = [...run(5, 6), ...run(8, 10)];
    expect(ids(withLatest(held, page, 5))).toEqual(['m5', 'm6', 'm8', 'm9', 'm10']);
  });

  it('starts again from the page after a burst that would leave a gap', () => {
    const held = { messages: run(1, 10), hasOlder: false };
    expect(withLatest(held, run(20, 24), 5)).toEqual({ messages: run(20, 24), hasOlder: true });
  });
});

describe('withOlder', () => {
  it('puts a full older page in front and keeps asking', () => {
    const window = withOlder({ messages: run(6, 10), hasOlder: true }, run(1, 5), 5);
    expect(window).toEqual({ messages: run(1, 10), hasOlder: true });
  });

  it('stops at a short page, without doubling what it holds', () => {
    const window = withOlder({ messages: run(3, 10), hasOlder: true }, run(1, 3), 5);
    expect(window).toEqual({ messages: run(1, 10), hasOlder: false });
  });
});
