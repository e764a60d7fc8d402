/**
 * Contract tests of how the bot loads webex-node-bot-framework (src/bot/framework/load.ts):
 * pointed at HYDRA_SERVICE_URL, its private process-event step, the SDK plugin kept out, and
 * the built-ins core-js 2 replaces put back. Run in a plain Node process, as the bot runs: Jest's
 * module registry ignores `require.cache` stubs and has its own copies of the built-ins.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CORE_JS_REPLACED } from '../../src/bot/framework/natives';

interface ProbeResult {
  hydra: string;
  frameworkIsClass: boolean;
  processEventIsFunction: boolean;
  processEventFile: string;
  babelPolyfillLoaded: boolean;
  restoredNatives: string[];
  natives: Array<{ label: string; same: boolean; printsNative: boolean }>;
  parsing: { trim: string; parseInt: number; parseFloat: number };
  plugins: Array<{ name: string; entry: string; stubbed: boolean; filesLoaded: string[] }>;
  otherUrl: string;
}

let probe: ProbeResult;

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'probes', 'load-probe.ts')],
    { cwd: path.join(__dirname, '..', '..'), env: { ...process.env, NODE_ENV: 'test' } },
  );
  probe = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeResult;
}, 30_000);

describe('loading the framework', () => {
  it('points the SDK at the API URL before it is loaded, and refuses a second URL', () => {
    expect(probe.hydra).toBe('http://127.0.0.1:9/v1');
    expect(probe.frameworkIsClass).toBe(true);
    expect(probe.otherUrl).toMatch(/already loaded for http:\/\/127\.0\.0\.1:9\/v1/);
    expect(probe.otherUrl).toMatch(/HYDRA_SERVICE_URL/);
  });

  it('reaches the private process-event step at its pinned path', () => {
    expect(probe.processEventIsFunction).toBe(true);
    expect(probe.processEventFile).toMatch(
      /node_modules[\\/]webex-node-bot-framework[\\/]lib[\\/]process-event\.js$/,
    );
  });

  it('keeps the meetings plugin out: its entry still resolves, and none of its files load', () => {
    expect(probe.plugins).toHaveLength(1);
    for (const plugin of probe.plugins) {
      expect(plugin.entry).toMatch(/@webex[\\/]plugin-meetings[\\/]/);
      expect(plugin.stubbed).toBe(true);
      expect(plugin.filesLoaded).toEqual([]);
    }
  });
});

describe('core-js 2, loaded by the SDK', () => {
  it('still replaces exactly the built-ins we put back (a change here needs a look)', () => {
    expect(probe.babelPolyfillLoaded).toBe(true);
    expect(probe.restoredNatives).toEqual(CORE_JS_REPLACED.map(([, , label]) => label));
  });

  it('leaves the native functions in place after loading', () => {
    for (const native of probe.natives) {
      expect(native).toEqual({ label: native.label, same: true, printsNative: true });
    }
  });

  it('parses and trims as before', () => {
    expect(probe.parsing).toEqual({ trim: 'x', parseInt: 31, parseFloat: 350 });
  });
});
