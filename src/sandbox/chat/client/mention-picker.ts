/**
 * The list that opens above the message box when `@` is typed in a group space: the space's
 * members matching what follows the `@`. Arrow keys move, Enter or Tab choose, Escape closes;
 * a click chooses too. Choosing writes `@Display Name ` into the box, which the composer sends
 * as a real Webex mention.
 */
import {
  membersMatching,
  mentionQueryAt,
  type Member,
  type MentionQuery,
} from '../mention-text.js';

/** A member as the list shows them. */
export interface PickerMember extends Member {
  /** A second line: "Bot", or the person's email. */
  detail: string;
}

/** How many names the list shows at most. */
const MAX_SHOWN = 8;

export class MentionPicker {
  private members: PickerMember[] = [];
  private matches: PickerMember[] = [];
  private active = 0;
  private query: MentionQuery | undefined;
  /** The `@` whose list was closed with Escape: it stays closed until another `@`. */
  private dismissedAt: number | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly list: HTMLUListElement,
    private readonly chosen: () => void,
  ) {
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => this.close());
    // Keeps the focus in the box, so the click below still knows where the caret is.
    list.addEventListener('mousedown', (event) => event.preventDefault());
  }

  /** Who can be mentioned in the open space (none: the list never opens). */
  setMembers(members: PickerMember[]): void {
    this.members = members;
    this.close();
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  /**
   * Handles a key while the list is open; true when it was the list's key (the caller then
   * does nothing else with it, e.g. Enter does not send).
   */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen || event.isComposing) return false;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.draw();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      this.choose(this.matches[this.active]);
    } else if (event.key === 'Escape') {
      this.dismissedAt = this.query?.start;
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  private update(): void {
    const caret = this.input.selectionStart;
    const query =
      this.members.length && caret === this.input.selectionEnd
        ? mentionQueryAt(this.input.value.slice(0, caret))
        : undefined;
    if (query?.start !== this.dismissedAt) this.dismissedAt = undefined;
    const matches = query ? membersMatching(query.query, this.members).slice(0, MAX_SHOWN) : [];
    if (!query || !matches.length || this.dismissedAt !== undefined) {
      this.close();
      return;
    }
    const sameList =
      matches.length === this.matches.length && matches.every((m, i) => m === this.matches[i]);
    if (!sameList) this.active = 0;
    this.query = query;
    this.matches = matches;
    this.draw();
  }

  private draw(): void {
    this.list.replaceChildren(
      ...this.matches.map((member, index) => {
        const option = document.createElement('li');
        option.id = `${this.list.id}-${index}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === this.active));
        const name = document.createElement('span');
        name.className = 'picker-name';
        name.textContent = member.displayName;
        const detail = document.createElement('small');
        detail.textContent = member.detail;
        option.append(name, detail);
        option.addEventListener('click', () => this.choose(member));
        return option;
      }),
    );
    this.list.hidden = false;
    this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
  }

  private choose(member: PickerMember | undefined): void {
    const query = this.query;
    if (!member || !query) return;
    const value = this.input.value;
    const end = query.start + 1 + query.query.length;
    const inserted = `@${member.displayName} `;
    // A space already after the name is kept rather than doubled.
    const rest = value.slice(end).replace(/^ /, '');
    this.input.value = value.slice(0, query.start) + inserted + rest;
    const caret = query.start + inserted.length;
    this.input.setSelectionRange(caret, caret);
    this.close();
    this.input.focus();
    this.chosen();
  }

  private close(): void {
    this.list.hidden = true;
    this.list.replaceChildren();
    this.matches = [];
    this.query = undefined;
    this.input.removeAttribute('aria-activedescendant');
  }
}
