/** Everything the bot needs from webex-node-bot-framework, behind one small surface. */
export {
  EventReadError,
  FrameworkAdapter,
  handlesEvent,
  type AdapterTransport,
  type BotIdentity,
  type FrameworkAdapterOptions,
  type FrameworkMembership,
  type FrameworkCardAction,
  type FrameworkMessage,
} from './adapter';
export { frameworkWebhookName } from './webhook-name';
