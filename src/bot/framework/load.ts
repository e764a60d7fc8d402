/**
 * Loading `webex-node-bot-framework` (and its `webex` SDK) pointed at the right Webex, without
 * the parts of the SDK a webhook bot never uses, and without core-js's slower built-ins.
 */
import Module from 'node:module';
import path from 'node:path';
import type Framework from 'webex-node-bot-framework';
import { restoreNatives, saveNatives } from './natives';

export type FrameworkClass = typeof Framework;
export type ProcessEvent = (framework: Framework, body: unknown) => Promise<unknown>;

export interface LoadedFramework {
  Framework: FrameworkClass;
  /** The framework's processing step, without its webhook handler (which acks before checking signatures). */
  processEvent: ProcessEvent;
  /** The built-ins core-js had replaced and that were put back. */
  restoredNatives: string[];
}

/** The private module we feed verified events to (the package has no `exports` map). */
export const PROCESS_EVENT_MODULE = 'webex-node-bot-framework/lib/process-event';

/**
 * SDK plugins a bot in webhook mode never uses. `webex` loads every plugin it ships; the
 * meetings plugin (the WebRTC meetings stack) alone takes ~0.5 s and ~20 MB at start-up.
 */
export const UNUSED_SDK_PLUGINS = ['@webex/plugin-meetings'];

/** Where the SDK finds Webex; it reads both from the environment once, when it loads. */
export interface FrameworkEndpoints {
  apiUrl: string;
  /**
   * The U2C service catalog (websocket mode finds its device and socket services there).
   * Absent: Webex's own.
   */
  u2cUrl?: string;
}

let loaded: { key: string; result: LoadedFramework } | undefined;

/**
 * Loads the framework pointed at `apiUrl` (and `u2cUrl`). The SDK reads `HYDRA_SERVICE_URL`
 * and `U2C_SERVICE_URL` once, when it is first loaded, so they are set before the first
 * `require`, and a later load for other URLs fails instead of quietly talking to the first.
 * @example const { Framework, processEvent } = loadFramework('https://webexapis.com/v1');
 */
export function loadFramework(
  apiUrl: string,
  endpoints: Omit<FrameworkEndpoints, 'apiUrl'> = {},
): LoadedFramework {
  const wanted = { apiUrl, ...endpoints };
  const key = describeEndpoints(wanted);
  if (loaded) {
    if (loaded.key !== key) {
      throw new Error(
        `the webex SDK was already loaded for ${loaded.key} and reads HYDRA_SERVICE_URL and U2C_SERVICE_URL only once per process; it cannot also talk to ${key}`,
      );
    }
    return loaded.result;
  }
  process.env.HYDRA_SERVICE_URL = apiUrl;
  if (endpoints.u2cUrl) process.env.U2C_SERVICE_URL = endpoints.u2cUrl;
  skipUnusedSdkPlugins();
  // The SDK logs at trace level under NODE_ENV=test and chats at info otherwise.
  process.env.WEBEX_LOG_LEVEL ??= 'error';
  const natives = saveNatives();
  /* eslint-disable @typescript-eslint/no-require-imports -- the load must follow the env change above */
  const FrameworkCtor = require('webex-node-bot-framework') as FrameworkClass;
  const processEvent = require(PROCESS_EVENT_MODULE) as ProcessEvent;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const result = {
    Framework: FrameworkCtor,
    processEvent,
    restoredNatives: restoreNatives(natives),
  };
  loaded = { key, result };
  return result;
}

function describeEndpoints({ apiUrl, u2cUrl }: FrameworkEndpoints): string {
  return u2cUrl ? `${apiUrl} (catalog ${u2cUrl})` : apiUrl;
}

/** Where `require('webex')` resolves from the framework, i.e. the SDK it really uses. */
export function sdkPluginPath(name: string): string {
  const webexDir = path.dirname(
    require.resolve('webex/package.json', {
      paths: [path.dirname(require.resolve('webex-node-bot-framework/package.json'))],
    }),
  );
  return require.resolve(name, { paths: [webexDir] });
}

/** Puts an empty module in the require cache for each unused plugin, before `webex` loads. */
function skipUnusedSdkPlugins(): void {
  for (const name of UNUSED_SDK_PLUGINS) {
    const file = sdkPluginPath(name);
    if (require.cache[file]) continue;
    const stub = new Module(file);
    stub.filename = file;
    stub.loaded = true;
    require.cache[file] = stub;
  }
}
