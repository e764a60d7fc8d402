/**
 * `/attachment/actions`: a person pressing an Action.Submit button on a card (the sandbox's
 * users do this with their personal token), and reading an action back (the bot does).
 */
import { Router } from 'express';
import { callerOf, requireAuth, sendWebexError } from '../http';
import { attachmentActionView } from '../present';
import type { SandboxAttachmentAction } from '../state';
import { webexId } from '../state';
import type { RouteContext } from './context';

const NOT_FOUND = 'The requested resource could not be found.';

/**
 * @example app.use('/v1', attachmentActionsRouter({ state, world }))
 */
export function attachmentActionsRouter({ state, world }: RouteContext): Router {
  const router = Router();
  router.use('/attachment/actions', requireAuth(state));

  router.post('/attachment/actions', (req, res) => {
    const me = callerOf(res).person;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.type !== 'submit') {
      sendWebexError(res, 400, 'type must be submit.');
      return;
    }
    if (typeof body.messageId !== 'string' || body.messageId === '') {
      sendWebexError(res, 400, 'messageId is required.');
      return;
    }
    const inputs = body.inputs ?? {};
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
      sendWebexError(res, 400, 'inputs must be an object.');
      return;
    }
    const message = state.messages.find((m) => m.id === body.messageId);
    if (!message || !world.isMember(message.roomId, me.id)) {
      sendWebexError(res, 404, 'Could not find the message with the card.');
      return;
    }
    if (!message.attachments?.length) {
      sendWebexError(res, 400, 'The message has no card to submit.');
      return;
    }
    const action: SandboxAttachmentAction = {
      id: webexId('ATTACHMENT_ACTION'),
      type: 'submit',
      messageId: message.id,
      inputs: inputs as Record<string, unknown>,
      personId: me.id,
      roomId: message.roomId,
      created: new Date().toISOString(),
    };
    world.addAttachmentAction(action, message);
    res.status(202).json(attachmentActionView(action));
  });

  router.get('/attachment/actions/:actionId', (req, res) => {
    const action = state.attachmentActions.get(req.params.actionId);
    if (!action || !world.isMember(action.roomId, callerOf(res).person.id)) {
      sendWebexError(res, 404, NOT_FOUND);
      return;
    }
    res.json(attachmentActionView(action));
  });

  return router;
}
