/**
 * The message box: Enter sends, Shift+Enter is a new line. In a group space the bot only
 * hears messages that mention it, so a toggle (on by default there) puts Webex's mention
 * markup, `<@personId:BOT_ID|Name>`, in front of the text.
 */
import type { OutgoingMessage } from './api.js';

export interface ComposerElements {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  mention: HTMLButtonElement;
  error: HTMLElement;
}

/**
 * The Webex mention markup for a person.
 * @example mentionMarkdown('Y2lz…', 'Recording Audit') // '<@personId:Y2lz…|Recording Audit>'
 */
export function mentionMarkdown(personId: string, displayName: string): string {
  return `<@personId:${personId}|${displayName.replace(/[|>]/g, ' ')}>`;
}

/**
 * The POST /messages body for what the user typed.
 * @example outgoing('room1', 'help', { id: 'BOT', displayName: 'Recording Audit' }) // markdown with the mention
 */
export function outgoing(
  roomId: string,
  text: string,
  mention?: { id: string; displayName: string },
): OutgoingMessage {
  return mention
    ? { roomId, markdown: `${mentionMarkdown(mention.id, mention.displayName)} ${text}` }
    : { roomId, text };
}

/**
 * Wires the message box; `send` gets the trimmed text and whether to mention the bot.
 * @example const composer = new Composer(elements, (text, mention) => api.send(…));
 */
export class Composer {
  constructor(
    private readonly el: ComposerElements,
    send: (text: string, mentionBot: boolean) => Promise<void>,
  ) {
    el.mention.addEventListener('click', () => {
      this.setMention(el.mention.getAttribute('aria-pressed') !== 'true');
      el.input.focus();
    });
    el.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        el.form.requestSubmit();
      }
    });
    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = el.input.value.trim();
      if (!text) return;
      el.error.textContent = '';
      el.form.classList.add('busy');
      send(text, this.mentioning())
        .then(() => {
          el.input.value = '';
        })
        .catch((error: unknown) => {
          el.error.textContent = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          el.form.classList.remove('busy');
          el.input.focus();
        });
    });
  }

  /** Shows the mention toggle (group spaces) or hides it (direct spaces, where it is off). */
  setGroup(isGroup: boolean): void {
    this.el.mention.hidden = !isGroup;
    this.setMention(isGroup);
  }

  /** Puts text in the box, e.g. a suggested command. */
  fill(text: string): void {
    this.el.input.value = text;
    this.el.input.focus();
  }

  private mentioning(): boolean {
    return !this.el.mention.hidden && this.el.mention.getAttribute('aria-pressed') === 'true';
  }

  private setMention(on: boolean): void {
    this.el.mention.setAttribute('aria-pressed', String(on));
  }
}
