/**
 * The chat page's entry: loads the sandbox's facts, lets the visitor pick a user and one of
 * their spaces with the bot, and shows that conversation. The choice is kept in the URL
 * (`?user=<email>&space=<roomId>`) so a reload or a shared link opens the same view.
 */
import { loadFacts, WebexApi, type Facts, type FactsRoom, type FactsUser } from './api.js';
import { Composer, outgoing } from './composer.js';
import { Conversation } from './conversation.js';
import type { PickerMember } from './mention-picker.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** The rooms where `user` can talk to the bot: their direct space first, then group spaces. */
function spacesOf(facts: Facts, user: FactsUser): FactsRoom[] {
  const withBot = facts.rooms.filter(
    (room) => room.memberEmails.includes(user.email) && room.memberEmails.includes(facts.bot.email),
  );
  return [
    ...withBot.filter((room) => room.type === 'direct'),
    ...withBot.filter((room) => room.type === 'group'),
  ];
}

function spaceName(facts: Facts, room: FactsRoom): string {
  return room.type === 'direct' ? facts.bot.displayName : room.title;
}

/** Who `me` can mention in `room`: the bot first, then the other people, by name. */
function membersOf(facts: Facts, room: FactsRoom, me: FactsUser): PickerMember[] {
  const people = facts.users
    .filter((user) => user.id !== me.id && room.memberEmails.includes(user.email))
    .map((user) => ({ id: user.id, displayName: user.displayName, detail: user.email }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const bot = room.memberEmails.includes(facts.bot.email)
    ? [{ id: facts.bot.id, displayName: facts.bot.displayName, detail: 'Bot' }]
    : [];
  return [...bot, ...people];
}

/** The width below which the page takes its one-column phone layout (as app.css). */
const NARROW = window.matchMedia('(max-width: 720px)');

class ChatPage {
  private readonly userSelect = byId<HTMLSelectElement>('user');
  private readonly spaceList = byId<HTMLUListElement>('spaces');
  private readonly messages = byId<HTMLOListElement>('messages');
  private readonly errors = byId<HTMLElement>('errors');
  private readonly title = byId<HTMLElement>('space-title');
  private readonly note = byId<HTMLElement>('space-note');
  private readonly composer: Composer;
  private user!: FactsUser;
  private room: FactsRoom | undefined;
  private conversation: Conversation | undefined;

  constructor(private readonly facts: Facts) {
    const mention = byId<HTMLButtonElement>('mention');
    mention.textContent = `@${facts.bot.displayName}`;
    mention.title = `Mention ${facts.bot.displayName}: in a group space the bot only reads messages that mention it`;
    this.composer = new Composer(
      {
        form: byId<HTMLFormElement>('composer'),
        input: byId<HTMLTextAreaElement>('input'),
        mention,
        picker: byId<HTMLUListElement>('mention-picker'),
        hint: byId<HTMLElement>('composer-hint'),
        error: this.errors,
      },
      (text, mentionBot) => this.send(text, mentionBot),
    );
    const nameUsers = () => {
      // A phone has no room for the address: the name alone, the address as its tooltip.
      for (const option of Array.from(this.userSelect.options)) {
        const user = facts.users.find((u) => u.email === option.value);
        if (!user) continue;
        option.textContent = NARROW.matches
          ? user.displayName
          : `${user.displayName} <${user.email}>`;
        option.title = user.email;
      }
    };
    for (const user of facts.users) this.userSelect.append(new Option('', user.email));
    nameUsers();
    NARROW.addEventListener('change', nameUsers);
    this.userSelect.addEventListener('change', () => this.selectUser(this.userSelect.value));
    this.listRecordings();
  }

  /** Opens the view named in the URL, or the first user's direct space. */
  open(): void {
    const params = new URLSearchParams(window.location.search);
    this.selectUser(params.get('user') ?? this.facts.users[0]?.email ?? '', params.get('space'));
  }

  private selectUser(email: string, roomId?: string | null): void {
    const user = this.facts.users.find((u) => u.email === email) ?? this.facts.users[0];
    if (!user) {
      this.title.textContent = 'The sandbox has no users.';
      return;
    }
    this.user = user;
    this.userSelect.value = user.email;
    const spaces = spacesOf(this.facts, user);
    this.spaceList.replaceChildren(
      ...spaces.map((room) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.roomId = room.id;
        button.textContent = spaceName(this.facts, room);
        const kind = document.createElement('small');
        kind.textContent = room.type === 'direct' ? 'Direct' : 'Group space';
        button.append(kind);
        button.addEventListener('click', () => this.selectRoom(room));
        item.append(button);
        return item;
      }),
    );
    this.selectRoom(spaces.find((room) => room.id === roomId) ?? spaces[0]);
  }

  private selectRoom(room: FactsRoom | undefined): void {
    this.conversation?.stop();
    this.conversation = undefined;
    this.room = room;
    for (const button of Array.from(this.spaceList.querySelectorAll('button'))) {
      button.setAttribute('aria-current', String(button.dataset.roomId === room?.id));
    }
    if (!room) {
      this.title.textContent = `${this.user.displayName} has no space with the bot.`;
      return;
    }
    this.title.textContent = spaceName(this.facts, room);
    this.note.textContent =
      room.type === 'group'
        ? `Group space with ${room.memberEmails.length} members. Mention the bot to talk to it; it answers reports privately in your direct space.`
        : `Your direct space with the bot, as ${this.user.displayName} (${this.user.timezone ?? 'no time zone on the profile'}).`;
    this.composer.setSpace({
      isGroup: room.type === 'group',
      members: membersOf(this.facts, room, this.user),
      bot: this.facts.bot,
    });
    const query = new URLSearchParams({ user: this.user.email, space: room.id });
    window.history.replaceState(null, '', `?${query.toString()}`);

    const api = new WebexApi(this.user.token);
    const names = new Map(this.facts.users.map((u) => [u.id, u.displayName]));
    names.set(this.facts.bot.id, this.facts.bot.displayName);
    this.conversation = new Conversation(this.messages, this.errors, room.id, {
      api,
      botId: this.facts.bot.id,
      myId: this.user.id,
      nameOf: (personId, email) => names.get(personId) ?? email,
      // A new tab: the consent page redirects there to the bot, which posts here.
      openUrl: (url) => window.open(url, '_blank', 'noopener'),
    });
    this.conversation.start();
  }

  private async send(text: string, mentionBot: boolean): Promise<void> {
    if (!this.room) return;
    const prefix = mentionBot ? this.facts.bot : undefined;
    const message = outgoing(this.room.id, text, this.composer.members(), prefix);
    await new WebexApi(this.user.token).send(message);
    this.conversation?.refresh();
  }

  private listRecordings(): void {
    const panel = byId<HTMLDetailsElement>('recordings-panel');
    // On a phone the list would push the conversation away: it starts folded there.
    panel.open = !NARROW.matches;
    NARROW.addEventListener('change', () => (panel.open = !NARROW.matches));
    byId<HTMLUListElement>('recordings').replaceChildren(
      ...this.facts.recordings.map((recording) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = recording.topic;
        const detail = document.createElement('small');
        detail.textContent = `${recording.accessRecords.toLocaleString()} access records · host ${recording.hostEmail}`;
        button.append(detail);
        button.addEventListener('click', () => {
          this.composer.fill(`audit ${recording.id}`);
          if (NARROW.matches) panel.open = false;
        });
        item.append(button);
        return item;
      }),
    );
  }
}

loadFacts()
  .then((facts) => new ChatPage(facts).open())
  .catch((error: unknown) => {
    byId<HTMLElement>('space-title').textContent =
      `The sandbox did not answer: ${error instanceof Error ? error.message : String(error)}`;
  });
