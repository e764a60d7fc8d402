/**
 * `/messages`: post (JSON or multipart with one `files` part), read, list newest first with
 * `Link` paging, edit (text and markdown only, at most 10 times) and delete. Posting to a person creates the direct room on first use.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { callerOf, parseMax, requireAuth, sendWebexError } from '../http';
import {
  MAX_MESSAGE_EDITS,
  checkMessageEdit,
  checkMessageInput,
  type MessageInput,
} from '../message-input';
import { renderMentions, type MentionDirectory } from '../mentions';
import { messageView } from '../present';
import type { SandboxMessage, SandboxPerson, SandboxRoom, SandboxState } from '../state';
import { webexId } from '../state';
import type { SandboxWorld } from '../world';
import { apiBase, queryString, type RouteContext } from './context';

const NOT_FOUND = 'The requested resource could not be found.';
/** Webex's upload limit per file. */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Runs multer only for multipart bodies; JSON is parsed by the app's JSON parser. */
function multipartFiles(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES },
  }).any();
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next();
      return;
    }
    upload(req, res, (error: unknown) => {
      if (error) {
        sendWebexError(res, 400, `Invalid multipart body: ${(error as Error).message}`);
        return;
      }
      next();
    });
  };
}

function directory(state: SandboxState): MentionDirectory {
  return {
    byId: (id) => state.people.get(id),
    byEmail: (email) => state.personByEmail(email),
  };
}

/** Where a new message goes: the named room, or the direct room with the named person. */
function resolveRoom(
  ctx: RouteContext,
  me: SandboxPerson,
  input: MessageInput,
  res: Response,
): { room: SandboxRoom; to?: SandboxPerson } | undefined {
  const { state, world } = ctx;
  if (input.roomId) {
    const room = state.rooms.get(input.roomId);
    if (!room) {
      sendWebexError(res, 404, 'Could not find a room with the provided ID.');
      return undefined;
    }
    if (!world.isMember(room.id, me.id)) {
      sendWebexError(res, 403, 'You are not a member of this room.');
      return undefined;
    }
    return { room };
  }
  const to = input.toPersonId
    ? state.people.get(input.toPersonId)
    : state.personByEmail(input.toPersonEmail ?? '');
  if (!to) {
    sendWebexError(res, 404, 'Could not find the person to send the message to.');
    return undefined;
  }
  if (to.id === me.id) {
    sendWebexError(res, 400, 'You cannot send a direct message to yourself.');
    return undefined;
  }
  return { room: world.directRoom(me, to), to };
}

function uploadedFiles(req: Request): Express.Multer.File[] {
  const files = Array.isArray(req.files) ? req.files : [];
  return files.filter((file) => file.fieldname === 'files');
}

function buildMessage(
  ctx: RouteContext,
  req: Request,
  me: SandboxPerson,
  input: MessageInput,
  room: SandboxRoom,
  to: SandboxPerson | undefined,
): SandboxMessage {
  const message: SandboxMessage = {
    id: webexId('MESSAGE'),
    roomId: room.id,
    roomType: room.type,
    parentId: input.parentId,
    personId: me.id,
    personEmail: me.emails[0],
    created: new Date().toISOString(),
  };
  if (to) {
    message.toPersonId = to.id;
    message.toPersonEmail = to.emails[0];
  }
  if (input.markdown !== undefined) {
    const rendered = renderMentions(input.markdown, directory(ctx.state));
    message.markdown = input.markdown;
    message.html = rendered.html;
    message.text = input.text ?? rendered.text;
    message.mentionedPeople = rendered.mentionedPeople;
    if (rendered.mentionedGroups.length) message.mentionedGroups = rendered.mentionedGroups;
  } else if (input.text !== undefined) {
    message.text = input.text;
  }
  const files = [...input.fileUrls];
  for (const upload of uploadedFiles(req)) {
    const id = webexId('CONTENT');
    ctx.state.files.set(id, {
      id,
      filename: upload.originalname,
      contentType: upload.mimetype || 'application/octet-stream',
      data: upload.buffer,
    });
    files.push(`${apiBase(req)}/contents/${id}`);
  }
  if (files.length) message.files = files;
  if (input.attachments.length) message.attachments = input.attachments;
  return message;
}

/** The message if the caller may read it (members of its room), else undefined. */
function readableMessage(world: SandboxWorld, id: string, personId: string) {
  const message = world.state.messages.find((m) => m.id === id);
  return message && world.isMember(message.roomId, personId) ? message : undefined;
}

function sendMessagePage(req: Request, res: Response, items: SandboxMessage[], max: number) {
  const page = items.slice(0, max);
  if (items.length > max) {
    // Like Webex, the next page is "before the last message of this one", which stays right
    // even when new messages arrive between pages.
    const next = new URL(`${req.protocol}://${req.get('host')}${req.originalUrl}`);
    next.searchParams.delete('before');
    next.searchParams.set('beforeMessage', page[page.length - 1].id);
    next.searchParams.set('max', String(max));
    res.setHeader('Link', `<${next.toString()}>; rel="next"`);
  }
  res.json({ items: page.map(messageView) });
}

/**
 * @example app.use('/v1', messagesRouter({ state, world }))
 */
export function messagesRouter(ctx: RouteContext): Router {
  const { state, world } = ctx;
  const router = Router();
  router.use('/messages', requireAuth(state));

  router.post('/messages', multipartFiles(), (req, res) => {
    const me = callerOf(res).person;
    const checked = checkMessageInput(req.body, uploadedFiles(req).length);
    if (!checked.ok) {
      sendWebexError(res, 400, checked.message);
      return;
    }
    const input = checked.value;
    if (input.parentId) {
      const parent = state.messages.find((m) => m.id === input.parentId);
      if (!parent || !world.isMember(parent.roomId, me.id)) {
        sendWebexError(res, 404, 'Could not find the parent message.');
        return;
      }
      if (parent.parentId) {
        sendWebexError(res, 400, 'Cannot reply to a reply; use the thread parent instead.');
        return;
      }
      if (input.roomId && input.roomId !== parent.roomId) {
        sendWebexError(res, 400, 'The parent message is in another room.');
        return;
      }
    }
    const target = resolveRoom(ctx, me, input, res);
    if (!target) return;
    const message = buildMessage(ctx, req, me, input, target.room, target.to);
    world.addMessage(message);
    res.json(messageView(message));
  });

  router.get('/messages', (req, res) => {
    const me = callerOf(res).person;
    const mentioned = queryString(req.query.mentionedPeople);
    const max = parseMax(req, res, 50, mentioned ? 100 : 1000);
    if (max === undefined) return;
    const roomId = queryString(req.query.roomId);
    if (!roomId) {
      sendWebexError(res, 400, 'roomId is required.');
      return;
    }
    if (!state.rooms.has(roomId)) {
      sendWebexError(res, 404, 'Could not find a room with the provided ID.');
      return;
    }
    if (!world.isMember(roomId, me.id)) {
      sendWebexError(res, 403, 'You are not a member of this room.');
      return;
    }
    if (mentioned && mentioned !== 'me' && mentioned !== me.id) {
      sendWebexError(res, 400, 'mentionedPeople only accepts me or your own person ID.');
      return;
    }
    let inRoom = state.messages.filter((m) => m.roomId === roomId);
    const beforeMessage = queryString(req.query.beforeMessage);
    if (beforeMessage) {
      const at = inRoom.findIndex((m) => m.id === beforeMessage);
      if (at < 0) {
        sendWebexError(res, 404, 'Could not find the message given in beforeMessage.');
        return;
      }
      inRoom = inRoom.slice(0, at);
    }
    const before = queryString(req.query.before);
    if (before) {
      const limit = Date.parse(before);
      if (Number.isNaN(limit)) {
        sendWebexError(res, 400, 'before must be an ISO 8601 date and time.');
        return;
      }
      inRoom = inRoom.filter((m) => Date.parse(m.created) < limit);
    }
    const parentId = queryString(req.query.parentId);
    if (parentId) inRoom = inRoom.filter((m) => m.parentId === parentId);
    if (mentioned) inRoom = inRoom.filter((m) => m.mentionedPeople?.includes(me.id));
    sendMessagePage(req, res, inRoom.reverse(), max);
  });

  router.get('/messages/:messageId', (req, res) => {
    const message = readableMessage(world, req.params.messageId, callerOf(res).person.id);
    if (!message) {
      sendWebexError(res, 404, NOT_FOUND);
      return;
    }
    res.json(messageView(message));
  });

  /** The caller's own message, or an answer saying why not (404 unseen, 403 someone else's). */
  const ownMessage = (req: Request, res: Response, verb: 'edit' | 'delete') => {
    const me = callerOf(res).person;
    const message = readableMessage(world, String(req.params.messageId), me.id);
    if (!message) {
      sendWebexError(res, 404, NOT_FOUND);
      return undefined;
    }
    if (message.personId !== me.id) {
      sendWebexError(res, 403, `Only the author may ${verb} this message.`);
      return undefined;
    }
    return { me, message };
  };

  router.put('/messages/:messageId', (req, res) => {
    const own = ownMessage(req, res, 'edit');
    if (!own) return;
    const { message } = own;
    const checked = checkMessageEdit(req.body);
    if (!checked.ok) {
      sendWebexError(res, 400, checked.message);
      return;
    }
    const edit = checked.value;
    if (edit.roomId !== message.roomId) {
      sendWebexError(res, 400, 'roomId is not the room of this message.');
      return;
    }
    if (message.files?.length || message.attachments?.length) {
      sendWebexError(
        res,
        400,
        'Editing messages with files or attachments is currently unsupported.',
      );
      return;
    }
    if ((state.messageEdits.get(message.id)?.length ?? 0) >= MAX_MESSAGE_EDITS) {
      sendWebexError(
        res,
        400,
        `The edit limit of ${MAX_MESSAGE_EDITS} edits for this message has been reached.`,
      );
      return;
    }
    if (edit.markdown !== undefined) {
      const rendered = renderMentions(edit.markdown, directory(state));
      world.editMessage(message, {
        markdown: edit.markdown,
        html: rendered.html,
        text: edit.text ?? rendered.text,
        mentionedPeople: rendered.mentionedPeople,
        mentionedGroups: rendered.mentionedGroups.length ? rendered.mentionedGroups : undefined,
      });
    } else {
      world.editMessage(message, { text: edit.text });
    }
    res.json(messageView(message));
  });

  router.delete('/messages/:messageId', (req, res) => {
    const own = ownMessage(req, res, 'delete');
    if (!own) return;
    const { me, message } = own;
    world.deleteMessage(message, me.id);
    res.status(204).end();
  });

  return router;
}
