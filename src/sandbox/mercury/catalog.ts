/**
 * The service catalog U2C answers with `format=hostmap`, as the SDK reads it
 * (@webex/webex-core/src/lib/services/services.js: `_fetchNewServiceHostmap`,
 * `_formatReceivedHostmap`): `serviceLinks` name every service's URL, and `hostCatalog` maps
 * a host name to entries whose `id` is `urn:TEAM:<cluster>:<service>`.
 *
 * Every service is the sandbox itself. The one host entry matters: the SDK finds the cluster
 * of a conversation URL through it (`getClusterId`), and `urn:TEAM:us-east-2_a` is the
 * cluster it turns into `us` (@webex/common/src/uuid-utils.js: getHydraClusterString), so the
 * IDs it builds from activities are the sandbox's own.
 */

/** Webex's original US cluster, which the SDK maps to `us` in the IDs it builds. */
export const SANDBOX_CLUSTER = 'urn:TEAM:us-east-2_a';

/** Where each service the SDK asks for lives under the sandbox's base URL. */
export const SERVICE_PATHS = {
  hydra: '/v1',
  u2c: '/u2c/api/v1',
  wdm: '/wdm/api/v1',
  conversation: '/conversation/api/v1',
  metrics: '/metrics/api/v1',
} as const;

export type SandboxServiceName = keyof typeof SERVICE_PATHS;

/** The base URLs of the sandbox's services, for a base URL such as `http://127.0.0.1:PORT`. */
export function serviceLinks(baseUrl: string): Record<SandboxServiceName, string> {
  const base = baseUrl.replace(/\/+$/, '');
  return Object.fromEntries(
    Object.entries(SERVICE_PATHS).map(([name, path]) => [name, `${base}${path}`]),
  ) as Record<SandboxServiceName, string>;
}

export interface HostmapEntry {
  host: string;
  ttl: number;
  priority: number;
  id: string;
}

export interface U2cHostmap {
  serviceLinks: Record<string, string>;
  hostCatalog: Record<string, HostmapEntry[]>;
  format: 'hostmap';
  timestamp: string;
}

/**
 * The catalog for a sandbox reached at `baseUrl` (the U2C request's own origin, so every
 * link uses the host the client already reaches).
 * @example u2cHostmap('http://127.0.0.1:4000').serviceLinks.wdm // 'http://127.0.0.1:4000/wdm/api/v1'
 */
export function u2cHostmap(baseUrl: string, now: Date = new Date()): U2cHostmap {
  const host = new URL(baseUrl).hostname;
  return {
    serviceLinks: serviceLinks(baseUrl),
    hostCatalog: {
      // Only the first entry names the service that owns the host (`conversation` here); the
      // others use their serviceLinks as they are.
      [host]: [{ host, ttl: -1, priority: 5, id: `${SANDBOX_CLUSTER}:conversation` }],
    },
    format: 'hostmap',
    timestamp: String(Math.floor(now.getTime() / 1000)),
  };
}

/** The websocket origin (`ws://host:port`) for an HTTP base URL. */
export function websocketOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}
