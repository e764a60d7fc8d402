/**
 * The pieces of the `webex` SDK (2.4.2, node_modules/@webex/…) the websocket contract tests run
 * against the sandbox, with just the types the tests use (the packages ship none): its Mercury
 * socket, the functions its plugins turn activities into events with, and its service catalog.
 */
import type { EventEmitter } from 'node:events';
import type { SandboxFacts } from '../../src/sandbox/facts';
import type { U2cHostmap } from '../../src/sandbox/mercury/catalog';

/* eslint-disable @typescript-eslint/no-require-imports -- untyped CommonJS packages */

/** internal-plugin-mercury/src/socket/socket-base.js */
export interface SdkSocket extends EventEmitter {
  open(url: string, options: Record<string, unknown>): Promise<void>;
  close(options?: { code?: number; reason?: string }): Promise<unknown>;
  readyState: number;
}
export const SdkSocket = (
  require('@webex/internal-plugin-mercury/dist/socket') as { default: new () => SdkSocket }
).default;

/** internal-plugin-mercury/src/errors.js: what `open()` rejects with for each close code. */
export const mercuryErrors = require('@webex/internal-plugin-mercury/dist/errors') as Record<
  'BadRequest' | 'ConnectionError' | 'Forbidden' | 'NotAuthorized' | 'UnknownResponse',
  new (...args: unknown[]) => Error & { code?: number }
>;

/** internal-plugin-device/src/config.js: the body the SDK registers a device with. */
export const deviceDefaults = (
  require('@webex/internal-plugin-device/dist/config') as {
    default: { device: { defaults: { body: Record<string, string> } } };
  }
).default.device.defaults.body;

/** @webex/common's ID builders (src/uuid-utils.js). */
export const sdkIds = require('@webex/common') as {
  buildHydraMembershipId(personUuid: string, roomUuid: string, cluster: string): string;
  buildHydraMessageId(uuid: string, cluster: string): string;
  buildHydraPersonId(uuid: string, cluster?: string): string;
  buildHydraRoomId(uuid: string, cluster: string): string;
  getHydraClusterString(webex: unknown, conversationUrl: string): string;
};

interface CatalogLike {
  updateServiceUrls(group: string, hostmap: unknown[]): void;
  findClusterId(url: string): string | undefined;
  get(name: string, priorityHost?: boolean): string | undefined;
}
const ServiceCatalog = (
  require('@webex/webex-core/dist/lib/services/service-catalog') as {
    default: new () => CatalogLike;
  }
).default;
const Services = (
  require('@webex/webex-core/dist/lib/services/services') as {
    default: { prototype: { _formatReceivedHostmap(hostmap: U2cHostmap): unknown[] } };
  }
).default;

/**
 * The SDK's catalog filled from a U2C answer, as services.js `updateServices` fills it.
 * @example sdkCatalog(hostmap).get('wdm') // the sandbox's WDM
 */
export function sdkCatalog(hostmap: U2cHostmap): CatalogLike {
  const catalog = new ServiceCatalog();
  const formatted = Services.prototype._formatReceivedHostmap.call(
    { _updateServiceUrls: () => undefined },
    hostmap,
  );
  catalog.updateServiceUrls('postauth', formatted);
  return catalog;
}

/** The `webex` the plugins' event builders read: the catalog (for clusters) and a logger. */
export function fakeWebex(catalog: CatalogLike) {
  const errors: string[] = [];
  return {
    errors,
    internal: { services: { getClusterId: (url: string) => catalog.findClusterId(url) } },
    logger: { error: (message: string) => errors.push(message) },
  };
}

export interface SdkEvent {
  resource?: string;
  event: string;
  actorId: string;
  data: Record<string, unknown>;
}
type Builder = (this: unknown, activity: unknown, event: string) => SdkEvent | null;

/** plugin-memberships/src/memberships.js `getMembershipEvent`. */
export const getMembershipEvent = (
  require('@webex/plugin-memberships/dist/memberships') as {
    default: { prototype: { getMembershipEvent: Builder } };
  }
).default.prototype.getMembershipEvent;

/** plugin-attachment-actions/src/attachmentActions.js `getattachmentActionEvent`. */
export const getAttachmentActionEvent = (
  require('@webex/plugin-attachment-actions/dist/attachmentActions') as {
    default: { prototype: { getattachmentActionEvent: Builder } };
  }
).default.prototype.getattachmentActionEvent;

/** plugin-messages/src/messages.js `getMessageEvent` (reads a created message back by id). */
export const getMessageEvent = (
  require('@webex/plugin-messages/dist/messages') as {
    default: {
      prototype: {
        getMessageEvent(this: unknown, activity: unknown, type: string): Promise<SdkEvent>;
      };
    };
  }
).default.prototype.getMessageEvent;

/** internal-plugin-conversation/src/decryption-transforms.js: the inbound transforms by name. */
export const decryptionTransforms = (
  require('@webex/internal-plugin-conversation/dist/decryption-transforms') as {
    transforms: Array<{ name: string; fn: (ctx: unknown, key: unknown, obj: unknown) => unknown }>;
  }
).transforms;

/* eslint-enable @typescript-eslint/no-require-imports */

/** The envelope the plugins copy into every event (common/src/event-envelope.js). */
export function eventEnvelope(facts: SandboxFacts, resource: string) {
  return { createdBy: facts.bot.id, resource, status: 'active', data: {} };
}

/** A logger for the SDK's socket that keeps quiet. */
export const quietLogger = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  error: () => undefined,
  log: () => undefined,
};
