/**
 * The message box: Enter sends, Shift+Enter is a new line. In a group space the bot only
 * hears messages that mention it, so a toggle (on by default there) puts Webex's mention
 * markup, `<@personId:BOT_ID|Name>`, in front of the text, and typing `@` offers the space's
 * members. Every `@Display Name` of a member goes out as a real mention; a line under the box
 * shows who the message will mention, or which `@word` names nobody and stays plain text.
 */
import { mentionMarkdown, resolveMentions, type Member } from '../mention-text.js';
import type { OutgoingMessage } from './api.js';
import { MentionPicker, type PickerMember } from './mention-picker.js';

export interface ComposerElements {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  mention: HTMLButtonElement;
  picker: HTMLUListElement;
  hint: HTMLElement;
  error: HTMLElement;
}

/** The open space as the composer needs it. */
export interface ComposerSpace {
  isGroup: boolean;
  /** Who can be mentioned (group spaces): the bot first, without the sender. */
  members: PickerMember[];
  /** The bot, which the toggle mentions. */
  bot: Member;
}

/**
 * The POST /messages body for what the user typed: plain text, or markdown with a mention for
 * each member named as `@Name` and, with `prefix`, one of that member in front (once only).
 * @example outgoing('room1', 'help', [], bot) // { roomId: 'room1', markdown: '<@personId:…|Recording Audit> help' }
 */
export function outgoing(
  roomId: string,
  text: string,
  members: Member[],
  prefix?: Member,
): OutgoingMessage {
  const resolved = resolveMentions(text, members);
  const addPrefix = prefix && !resolved.mentioned.some((m) => m.id === prefix.id);
  if (!resolved.mentioned.length && !addPrefix) return { roomId, text };
  return {
    roomId,
    markdown: addPrefix ? `${mentionMarkdown(prefix)} ${resolved.markdown}` : resolved.markdown,
  };
}

function chip(name: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'mention-chip';
  element.textContent = `@${name}`;
  return element;
}

/**
 * Wires the message box; `send` gets the trimmed text and whether the toggle mentions the bot.
 * @example const composer = new Composer(elements, (text, mention) => api.send(…));
 */
export class Composer {
  private space: ComposerSpace | undefined;
  private readonly picker: MentionPicker;

  constructor(
    private readonly el: ComposerElements,
    send: (text: string, mentionBot: boolean) => Promise<void>,
  ) {
    this.picker = new MentionPicker(el.input, el.picker, () => this.showHint());
    el.mention.addEventListener('click', () => {
      this.setMention(el.mention.getAttribute('aria-pressed') !== 'true');
      el.input.focus();
    });
    el.input.addEventListener('keydown', (event) => {
      if (this.picker.handleKey(event)) return;
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        el.form.requestSubmit();
      }
    });
    el.input.addEventListener('input', () => this.showHint());
    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = el.input.value.trim();
      if (!text) return;
      el.error.textContent = '';
      el.form.classList.add('busy');
      send(text, this.mentioning())
        .then(() => {
          el.input.value = '';
          this.showHint();
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

  /** Shows the mention toggle and the `@` list (group spaces) or hides them (direct spaces). */
  setSpace(space: ComposerSpace): void {
    this.space = space;
    this.el.mention.hidden = !space.isGroup;
    this.picker.setMembers(space.isGroup ? space.members : []);
    this.setMention(space.isGroup);
  }

  /** Who the message can mention: the space's members in a group space, nobody otherwise. */
  members(): Member[] {
    return this.space?.isGroup ? this.space.members : [];
  }

  /** Puts text in the box, e.g. a suggested command. */
  fill(text: string): void {
    this.el.input.value = text;
    this.el.input.focus();
    this.showHint();
  }

  private mentioning(): boolean {
    return !this.el.mention.hidden && this.el.mention.getAttribute('aria-pressed') === 'true';
  }

  private setMention(on: boolean): void {
    this.el.mention.setAttribute('aria-pressed', String(on));
    this.showHint();
  }

  /** Says who the message will mention, or why an `@word` will not be one. */
  private showHint(): void {
    const hint = this.el.hint;
    const text = this.el.input.value;
    hint.classList.remove('warning');
    if (!this.space?.isGroup || !text.trim()) {
      hint.replaceChildren();
      return;
    }
    const resolved = resolveMentions(text, this.space.members);
    if (resolved.unknown.length) {
      hint.classList.add('warning');
      const words = resolved.unknown.map((word) => `“${word}”`).join(', ');
      hint.textContent = `${words} names nobody in this space, so it goes out as plain text. Type @ and pick a name from the list to mention someone.`;
      return;
    }
    const mentioned = [...resolved.mentioned];
    const bot = this.space.bot;
    if (this.mentioning() && !mentioned.some((m) => m.id === bot.id)) mentioned.unshift(bot);
    if (!mentioned.length) {
      hint.classList.add('warning');
      hint.textContent = `Nobody is mentioned: ${bot.displayName} only reads group messages that mention it.`;
      return;
    }
    hint.replaceChildren('Mentions ', ...mentioned.map((member) => chip(member.displayName)));
  }
}
