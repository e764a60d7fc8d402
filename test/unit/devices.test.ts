/**
 * Device registrations: a replica deletes only its own earlier ones, one by one, against the
 * sandbox's WDM service (never the whole collection, never another's).
 */
import { deviceNameFor, ownDevices, removeOwnDevices } from '../../src/bot/framework/devices';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { createWebexHttp } from '../../src/webex/client';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: () => undefined, tokenStyle: 'webex' });
});
afterAll(async () => {
  await sandbox?.close();
});

it('names a replica by deployment, host and port', () => {
  expect(deviceNameFor('audit-bot', 'pod-7', 3000)).toBe('audit-bot@pod-7:3000');
});

it('counts as its own only the registrations with exactly its name', () => {
  const devices = [
    { url: 'u1', name: 'bot@h:1' },
    { url: 'u2', name: 'node' },
    { url: 'u3', name: 'bot@h:10' },
  ];
  expect(ownDevices(devices, 'bot@h:1')).toEqual([{ url: 'u1', name: 'bot@h:1' }]);
});

it('deletes its own earlier registrations and leaves the others', async () => {
  const http = createWebexHttp({ baseUrl: sandbox.apiUrl });
  const wdmUrl = `${sandbox.baseUrl}/wdm/api/v1`;
  const headers = { Authorization: `Bearer ${sandbox.botToken}` };
  const register = (name: string) =>
    http.post(`${wdmUrl}/devices`, { name, deviceType: 'WEB' }, { headers });
  await register('bot@h:1');
  await register('bot@h:1');
  await register('node');
  const before = await http.get<{ devices: Array<{ name: string }> }>(`${wdmUrl}/devices`, {
    headers,
  });
  expect(before.data.devices.map((d) => d.name).sort()).toEqual(['bot@h:1', 'bot@h:1', 'node']);
  expect(
    await removeOwnDevices({ http, botToken: sandbox.botToken, wdmUrl, name: 'bot@h:1' }),
  ).toBe(2);
  const after = await http.get<{ devices: Array<{ name: string }> }>(`${wdmUrl}/devices`, {
    headers,
  });
  expect(after.data.devices.map((d) => d.name)).toEqual(['node']);
});
