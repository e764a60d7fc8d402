/**
 * Loads the framework the way the bot does, in a plain Node process (Jest keeps its own
 * module registry, so `require.cache` stubs and the real built-ins are only visible here),
 * and prints what the loader's contract tests check, as one JSON line.
 */
import path from 'node:path';
import {
  loadFramework,
  PROCESS_EVENT_MODULE,
  sdkPluginPath,
  UNUSED_SDK_PLUGINS,
} from '../../../src/bot/framework/load';
import { CORE_JS_REPLACED } from '../../../src/bot/framework/natives';

const nativeToString = Function.prototype.toString;
const before = CORE_JS_REPLACED.map(([owner, key]) => (owner as Record<string, unknown>)[key]);
process.env.WEBEX_LOG_LEVEL = 'silent';
const { Framework, processEvent, restoredNatives } = loadFramework('http://127.0.0.1:9/v1');

const plugins = UNUSED_SDK_PLUGINS.map((name) => {
  const entry = sdkPluginPath(name);
  const packageDir = entry.slice(0, entry.indexOf(name) + name.length) + path.sep;
  return {
    name,
    entry,
    stubbed:
      require.cache[entry]?.loaded === true &&
      Object.keys(require.cache[entry]?.exports ?? {}).length === 0,
    filesLoaded: Object.keys(require.cache).filter(
      (file) => file.startsWith(packageDir) && file !== entry,
    ),
  };
});

const result = {
  hydra: process.env.HYDRA_SERVICE_URL,
  frameworkIsClass: typeof Framework === 'function',
  processEventIsFunction: typeof processEvent === 'function',
  processEventFile: require.resolve(PROCESS_EVENT_MODULE),
  babelPolyfillLoaded: (globalThis as Record<string, unknown>)._babelPolyfill === true,
  restoredNatives,
  natives: CORE_JS_REPLACED.map(([owner, key, label], i) => {
    const now = (owner as Record<string, unknown>)[key];
    return {
      label,
      same: now === before[i],
      printsNative: nativeToString.call(now as () => void).includes('[native code]'),
    };
  }),
  parsing: {
    trim: ' \u00a0x\u2028 '.trim(),
    parseInt: parseInt(' 0x1F '),
    parseFloat: Number.parseFloat('\t3.5e2x'),
  },
  plugins,
  otherUrl: (() => {
    try {
      loadFramework('https://webexapis.com/v1');
      return 'loaded';
    } catch (err) {
      return (err as Error).message;
    }
  })(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
