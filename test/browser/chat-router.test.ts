/**
 * The chat page's server side without a browser: it serves the built page, and says how to
 * build it when the assets are missing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { chatRouter } from '../../src/sandbox/chat/router';

async function serve(assetsDir: string) {
  const server = express().use('/', chatRouter(assetsDir)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'chat-assets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('asks for `npm run build` when the page was not built', async () => {
  const { base, close } = await serve(dir);
  try {
    for (const url of [`${base}/`, `${base}/chat/app.js`]) {
      const response = await fetch(url);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    }
  } finally {
    await close();
  }
});

it('serves the built page and its assets', async () => {
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>chat</title>');
  await writeFile(path.join(dir, 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'app.css'), 'body{}');
  const { base, close } = await serve(dir);
  try {
    expect(await (await fetch(`${base}/`)).text()).toContain('<title>chat</title>');
    const script = await fetch(`${base}/chat/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/chat/nothing.js`)).status).toBe(404);
  } finally {
    await close();
  }
});
