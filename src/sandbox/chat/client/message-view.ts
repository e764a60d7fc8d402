/**
 * One message in the conversation: who sent it and when, then its card, or its markdown, or
 * its text, then its files.
 */
import type { WebexApi, WireMessage } from './api.js';
import { renderCard } from './card.js';
import { renderFiles } from './files.js';
import { messageHtml } from './markdown.js';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** What a message needs from the conversation around it. */
export interface MessageContext {
  api: WebexApi;
  botId: string;
  myId: string;
  nameOf(personId: string, email: string): string;
  openUrl(url: string): void;
  keepObjectUrl(url: string): void;
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]);
  return (letters.length > 1 ? letters[0] + letters[letters.length - 1] : (letters[0] ?? '?'))
    .toUpperCase()
    .slice(0, 2);
}

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function header(message: WireMessage, name: string): HTMLElement {
  const meta = document.createElement('div');
  meta.className = 'meta';
  const who = document.createElement('span');
  who.className = 'sender';
  who.textContent = name;
  const when = document.createElement('time');
  when.dateTime = message.created;
  when.textContent = time(message.created);
  meta.append(who, when);
  if (message.updated) {
    const edited = document.createElement('span');
    edited.className = 'edited';
    edited.textContent = '(edited)';
    edited.title = new Date(message.updated).toLocaleString();
    meta.append(edited);
  }
  if (message.parentId) {
    const thread = document.createElement('span');
    thread.className = 'thread';
    thread.textContent = 'in thread';
    meta.append(thread);
  }
  return meta;
}

function content(message: WireMessage, ctx: MessageContext): HTMLElement | undefined {
  const card = message.attachments?.find((a) => a.contentType === ADAPTIVE_CARD);
  if (card) {
    return renderCard(card.content, {
      submit: (inputs) => ctx.api.submit(message.id, inputs),
      openUrl: ctx.openUrl,
    });
  }
  const text = document.createElement('div');
  text.className = 'text';
  if (message.markdown !== undefined) {
    // Sanitised by messageHtml (DOMPurify): no script or handler from a message survives.
    text.innerHTML = messageHtml(message.markdown);
  } else if (message.text !== undefined) {
    text.textContent = message.text;
  } else {
    return undefined;
  }
  return text;
}

/**
 * The element for one message.
 * @example list.append(renderMessage(message, ctx));
 */
export function renderMessage(message: WireMessage, ctx: MessageContext): HTMLElement {
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.id = message.id;
  if (message.updated) item.dataset.updated = message.updated;
  item.dataset.from =
    message.personId === ctx.botId ? 'bot' : message.personId === ctx.myId ? 'me' : 'other';
  if (message.parentId) item.classList.add('reply');

  const name = ctx.nameOf(message.personId, message.personEmail);
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.textContent = initials(name);
  avatar.setAttribute('aria-hidden', 'true');

  const body = document.createElement('div');
  body.className = 'body';
  body.append(header(message, name));
  const shown = content(message, ctx);
  if (shown) body.append(shown);
  if (message.files?.length) body.append(renderFiles(message.files, ctx.api, ctx.keepObjectUrl));

  item.append(avatar, body);
  return item;
}
