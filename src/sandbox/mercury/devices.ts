/**
 * Device registrations (WDM) as pure operations on the sandbox state, and the device object
 * WDM answers with, shaped as @webex/internal-plugin-device/src/device.js reads it: `url`
 * (its identity: refresh is a PUT and unregister a DELETE to it), `webSocketUrl` (where
 * Mercury connects), `features` (read by the feature plugin), `services` (dropped by
 * `processRegistrationSuccess`) and the rest of the DTO it keeps as properties.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxDevice, SandboxState } from '../state';
import { serviceLinks, websocketOrigin } from './catalog';
import { uuidOf } from './ids';

/** Registrations one person may hold; Webex refuses more (the newer SDK's MAX_REGISTERED_DEVICES). */
export const DEVICE_LIMIT = 100;

/** Webex's answer (403) to one registration too many, which the SDK matches on. */
export const EXCESSIVE_DEVICES = 'User has excessive device registrations';

/**
 * The fields of a registration body the sandbox keeps. The SDK sends its config's
 * `device.defaults.body` merged with `device.body` (name, deviceType, model, …) on register,
 * and the whole device back on refresh, of which only these are the client's to say.
 */
export const REGISTRATION_FIELDS = [
  'name',
  'deviceName',
  'deviceType',
  'model',
  'localizedModel',
  'systemName',
  'systemVersion',
] as const;

const MAX_FIELD_LENGTH = 256;

/** Where a device's websocket lives, by its socket key. */
export const MERCURY_PATH_PREFIX = '/mercury/api/v1/apps/wx2/registrations/';
const MERCURY_PATH = /^\/mercury\/api\/v1\/apps\/wx2\/registrations\/([A-Za-z0-9-]+)\/messages$/;

/**
 * The socket key a Mercury URL path names, or undefined for any other path.
 * @example socketKeyOf('/mercury/api/v1/apps/wx2/registrations/k1/messages') // 'k1'
 */
export function socketKeyOf(pathname: string): string | undefined {
  return MERCURY_PATH.exec(pathname)?.[1];
}

/**
 * The registration fields of a request body (strings only, trimmed to a sane length).
 * @example registrationFields({ name: 'bot-a', url: 'x' }) // { name: 'bot-a' }
 */
export function registrationFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const key of REGISTRATION_FIELDS) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === 'string') fields[key] = value.slice(0, MAX_FIELD_LENGTH);
  }
  return fields;
}

/** A person's registrations, oldest first. */
export function devicesOf(state: SandboxState, personId: string): SandboxDevice[] {
  return [...state.devices.values()].filter((device) => device.personId === personId);
}

export interface RegisterOptions {
  limit?: number;
  now?: string;
  newId?: () => string;
}

export type Registered = { ok: true; device: SandboxDevice } | { ok: false; message: string };

/**
 * Registers a device for `personId`, unless they already hold `limit` registrations.
 * @example registerDevice(state, bot.id, { name: 'audit-bot' }) // { ok: true, device }
 */
export function registerDevice(
  state: SandboxState,
  personId: string,
  body: unknown,
  options: RegisterOptions = {},
): Registered {
  if (devicesOf(state, personId).length >= (options.limit ?? DEVICE_LIMIT)) {
    return { ok: false, message: EXCESSIVE_DEVICES };
  }
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? new Date().toISOString();
  const device: SandboxDevice = {
    id: newId(),
    personId,
    registration: registrationFields(body),
    socketKey: newId(),
    created: now,
    modified: now,
  };
  state.devices.set(device.id, device);
  return { ok: true, device };
}

/**
 * A refresh (PUT): the registration fields sent replace the kept ones; the socket key stays,
 * so a stale URL is only replaced by {@link renewSocketKey}.
 */
export function refreshDevice(device: SandboxDevice, body: unknown, now?: string): void {
  Object.assign(device.registration, registrationFields(body));
  device.modified = now ?? new Date().toISOString();
}

/** Gives the device a new webSocketUrl; the old one is refused from now on. */
export function renewSocketKey(device: SandboxDevice, newKey: string = randomUUID()): void {
  device.socketKey = newKey;
}

/** The device's URL (its identity in WDM). */
export function deviceUrl(device: SandboxDevice, baseUrl: string): string {
  return `${serviceLinks(baseUrl).wdm}/devices/${device.id}`;
}

/** Where the device's Mercury socket is. */
export function webSocketUrl(device: SandboxDevice, baseUrl: string): string {
  return `${websocketOrigin(baseUrl)}${MERCURY_PATH_PREFIX}${device.socketKey}/messages`;
}

/**
 * The device as WDM returns it on register, refresh and list.
 * @example deviceView(device, 'http://127.0.0.1:4000').webSocketUrl // 'ws://127.0.0.1:4000/mercury/…'
 */
export function deviceView(device: SandboxDevice, baseUrl: string): Record<string, unknown> {
  const services = Object.fromEntries(
    Object.entries(serviceLinks(baseUrl)).map(([name, url]) => [`${name}ServiceUrl`, url]),
  );
  return {
    url: deviceUrl(device, baseUrl),
    webSocketUrl: webSocketUrl(device, baseUrl),
    deviceType: 'WEB',
    ...device.registration,
    userId: uuidOf(device.personId),
    creationTime: device.created,
    modificationTime: device.modified,
    services,
    features: { developer: [], entitlement: [], user: [] },
  };
}
