/**
 * The bot's device registrations (Webex's WDM service) in websocket mode. Webex limits how
 * many a bot may hold ("excessive device registrations"), and a registration outlives the
 * process that made it, so each replica registers under a name of its own and, before it
 * registers, deletes its own earlier registrations by that name. It never deletes the others:
 * another replica's socket, another deployment's, or a developer's.
 */
import { hostname } from 'node:os';
import { bearer, type WebexHttp } from '../../webex/client';

/** What WDM lists of a registration. */
export interface DeviceRegistration {
  url: string;
  name?: string;
  deviceType?: string;
}

/**
 * This replica's registration name: the deployment's name (WEBEX_DEVICE_NAME), then the host
 * and port, which stay the same across restarts of a replica and differ between replicas.
 * @example deviceNameFor('audit-bot', 'pod-7', 3000) // 'audit-bot@pod-7:3000'
 */
export function deviceNameFor(deployment: string, host = hostname(), port: number): string {
  return `${deployment}@${host}:${port}`.slice(0, 128);
}

/**
 * The registrations that are this replica's own: exactly its name, nothing like it.
 * @example ownDevices([{ url: 'u1', name: 'bot@h:1' }, { url: 'u2', name: 'node' }], 'bot@h:1')
 * // [{ url: 'u1', name: 'bot@h:1' }]
 */
export function ownDevices(devices: DeviceRegistration[], name: string): DeviceRegistration[] {
  return devices.filter((device) => device.name === name && typeof device.url === 'string');
}

export interface DeviceCleanup {
  http: WebexHttp;
  botToken: string;
  /** The WDM service's base URL, from the service catalog. */
  wdmUrl: string;
  name: string;
}

/**
 * Deletes this replica's earlier registrations (one by one, never the whole collection).
 * A registration that is already gone counts as deleted.
 * @example const removed = await removeOwnDevices({ http, botToken, wdmUrl, name }); // 1
 */
export async function removeOwnDevices(cleanup: DeviceCleanup): Promise<number> {
  const headers = bearer(cleanup.botToken);
  const { data } = await cleanup.http.get<{ devices?: DeviceRegistration[] }>(
    `${cleanup.wdmUrl.replace(/\/+$/, '')}/devices`,
    { headers },
  );
  const own = ownDevices(data.devices ?? [], cleanup.name);
  for (const device of own) {
    await cleanup.http.delete(device.url, {
      headers,
      validateStatus: (status) => (status >= 200 && status < 300) || status === 404,
    });
  }
  return own.length;
}
