/**
 * Contract: the sandbox's routes exist in Webex's OpenAPI files, and its real responses validate
 * against the response schemas there (status code listed, body matches the schema).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Router } from 'express';
import { attachmentActionsRouter } from '../../src/sandbox/routes/attachment-actions';
import { membershipsRouter } from '../../src/sandbox/routes/memberships';
import { messagesRouter } from '../../src/sandbox/routes/messages';
import { peopleRouter } from '../../src/sandbox/routes/people';
import { recordingsRouter } from '../../src/sandbox/routes/recordings';
import { roomsRouter } from '../../src/sandbox/routes/rooms';
import { webhooksRouter } from '../../src/sandbox/routes/webhooks';
import { SEED_EMAILS } from '../../src/sandbox/seed';
import type { Sandbox } from '../../src/sandbox/server';
import { SandboxState } from '../../src/sandbox/state';
import { SandboxWorld } from '../../src/sandbox/world';
import { call, startSeededSandbox, type ApiResponse, type Seeded } from './helpers';

/** Trimmed copies of Webex's files, vendored with their licence (see the README there). */
const SPEC_DIR = path.resolve(__dirname, '..', 'fixtures', 'webex-openapi');

interface OpenApiOperation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface OpenApiSpec {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, unknown>;
}

function loadSpec(file: string): OpenApiSpec {
  return JSON.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as OpenApiSpec;
}

/** `/people/{personId}` and `/people/:id` both become `/people/{}`. */
function normalisePath(p: string): string {
  return p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z]+/g, '{}');
}

/** Method + path of every route a router declares. */
function declaredRoutes(router: Router): string[] {
  return router.stack.flatMap((layer) =>
    layer.route
      ? [...new Set(layer.route.stack.map((l) => l.method.toUpperCase()))].map(
          (method) => `${method} ${layer.route?.path}`,
        )
      : [],
  );
}

const messaging = loadSpec('webex-messaging.json');
const meeting = loadSpec('webex-meeting.json');

const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
addFormats(ajv);
// Unknown OpenAPI formats are documentation only: accept anything.
for (const format of ['uri-reference', 'int32', 'int64', 'float', 'double', 'byte', 'binary']) {
  if (!ajv.formats[format]) ajv.addFormat(format, true);
}
/**
 * Known spec defect: `Attachment.content` points at the ECM `File` schema (fileId, contentUrl),
 * yet the spec's own `POST /messages` example (and Webex) put an Adaptive Card there with a
 * `contentType`. Validate attachments as the example shows.
 */
function withCardAttachments(spec: OpenApiSpec): OpenApiSpec['components'] {
  const components = structuredClone(spec.components) as { schemas: Record<string, object> };
  components.schemas.Attachment = {
    type: 'object',
    required: ['contentType', 'content'],
    properties: {
      contentType: { type: 'string', enum: ['application/vnd.microsoft.card.adaptive'] },
      content: { $ref: '#/components/schemas/AdaptiveCard' },
    },
  };
  return components;
}

ajv.addSchema({ $id: 'messaging', components: withCardAttachments(messaging) });
ajv.addSchema({ $id: 'meeting', components: meeting.components });

/** The validator for one operation's response; its `$ref`s resolve inside the spec. */
function responseValidator(
  spec: OpenApiSpec,
  specId: string,
  method: string,
  specPath: string,
  status: number,
): ValidateFunction | undefined {
  const operation = spec.paths[specPath]?.[method.toLowerCase()];
  expect(operation).toBeDefined();
  const response = operation?.responses[String(status)];
  expect(response).toBeDefined();
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  const rewritten = JSON.parse(
    JSON.stringify(schema).replace(/"#\/components\//g, `"${specId}#/components/`),
  ) as object;
  return ajv.compile(rewritten);
}

function expectConforms(
  res: ApiResponse<unknown>,
  method: string,
  specPath: string,
  spec: OpenApiSpec = messaging,
  specId = 'messaging',
): void {
  const validate = responseValidator(spec, specId, method, specPath, res.status);
  if (!validate) return;
  const valid = validate(res.body);
  if (!valid) {
    throw new Error(
      `${method} ${specPath} (${res.status}) does not match the spec: ${ajv.errorsText(validate.errors)}`,
    );
  }
}

describe('contract with Webex’s OpenAPI files', () => {
  it('declares only routes that exist in the spec', () => {
    const state = new SandboxState();
    const ctx = { state, world: new SandboxWorld(state) };
    const specRoutes = new Set(
      Object.entries(messaging.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${normalisePath(p)}`),
      ),
    );
    const ours = [
      peopleRouter(ctx),
      roomsRouter(ctx),
      membershipsRouter(ctx),
      messagesRouter(ctx),
      webhooksRouter(ctx),
      attachmentActionsRouter(ctx),
    ].flatMap(declaredRoutes);
    expect(ours.length).toBeGreaterThan(15);
    const missing = ours.filter((route) => !specRoutes.has(normalisePath(route)));
    expect(missing).toEqual([]);

    const meetingRoutes = new Set(
      Object.entries(meeting.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${normalisePath(p)}`),
      ),
    );
    const recordings = declaredRoutes(recordingsRouter(state));
    expect(recordings.filter((route) => !meetingRoutes.has(normalisePath(route)))).toEqual([]);
    // Not checked: GET /contents/{id} (the file URLs in `Message.files`, not in the OpenAPI
    // files) and the OAuth endpoints /authorize and /access_token (documented elsewhere).
  });

  it('has a validator that catches a wrong body (so the checks below mean something)', () => {
    const validate = responseValidator(messaging, 'messaging', 'GET', '/people/me', 200);
    expect(validate?.({ id: 'x', emails: 'not-a-list' })).toBe(false);
    expect(validate?.({ id: 'x', emails: ['a@example.com'], type: 'person' })).toBe(true);
  });

  describe('responses', () => {
    let sandbox: Sandbox;
    let s: Seeded;

    beforeAll(async () => ({ sandbox, s } = await startSeededSandbox()));
    afterAll(() => sandbox.close());

    it('people', async () => {
      expectConforms(await call(sandbox, s.host.token, 'GET', '/people/me'), 'GET', '/people/me');
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', `/people/${s.admin.id}`),
        'GET',
        '/people/{personId}',
      );
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', `/people?id=${s.host.id},nobody`),
        'GET',
        '/people',
      );
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', '/people/nobody'),
        'GET',
        '/people/{personId}',
      );
    });

    it('rooms and memberships', async () => {
      expectConforms(await call(sandbox, s.host.token, 'GET', '/rooms'), 'GET', '/rooms');
      const room = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'Contract' });
      expectConforms(room, 'POST', '/rooms');
      expectConforms(
        await call(sandbox, s.host.token, 'GET', `/rooms/${room.body.id}`),
        'GET',
        '/rooms/{roomId}',
      );
      const membership = await call(sandbox, s.host.token, 'POST', '/memberships', {
        roomId: room.body.id,
        personEmail: SEED_EMAILS.bot,
      });
      expectConforms(membership, 'POST', '/memberships');
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', '/memberships?max=1000'),
        'GET',
        '/memberships',
      );
      expectConforms(
        await call(sandbox, s.host.token, 'GET', `/memberships/${membership.body.id}`),
        'GET',
        '/memberships/{membershipId}',
      );
      expectConforms(
        await call(sandbox, s.host.token, 'POST', '/memberships', {
          roomId: room.body.id,
          personEmail: SEED_EMAILS.bot,
        }),
        'POST',
        '/memberships',
      );
    });

    it('messages', async () => {
      const card = {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard', version: '1.3', body: [] },
      };
      const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
        roomId: s.groupRoom.id,
        markdown: `<@personEmail:${SEED_EMAILS.bot}|Recording Audit> audit 1 <@all>`,
      });
      expectConforms(sent, 'POST', '/messages');
      const direct = await call(sandbox, sandbox.botToken, 'POST', '/messages', {
        toPersonEmail: SEED_EMAILS.host,
        text: 'card',
        attachments: [card],
      });
      expectConforms(direct, 'POST', '/messages');
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', `/messages/${sent.body.id}`),
        'GET',
        '/messages/{messageId}',
      );
      expectConforms(
        await call(sandbox, s.host.token, 'GET', `/messages?roomId=${s.groupRoom.id}`),
        'GET',
        '/messages',
      );
      expectConforms(
        await call(sandbox, s.host.token, 'POST', '/messages', {}),
        'POST',
        '/messages',
      );
      const edited = await call(sandbox, s.host.token, 'PUT', `/messages/${sent.body.id}`, {
        roomId: s.groupRoom.id,
        markdown: 'edited <@all>',
      });
      expect(edited.status).toBe(200);
      expectConforms(edited, 'PUT', '/messages/{messageId}');
      for (const refused of [
        // a card cannot be edited; nor can someone else's message
        await call(sandbox, sandbox.botToken, 'PUT', `/messages/${direct.body.id}`, {
          roomId: direct.body.roomId,
          text: 'x',
        }),
        await call(sandbox, s.colleague.token, 'PUT', `/messages/${sent.body.id}`, {
          roomId: s.groupRoom.id,
          text: 'x',
        }),
      ]) {
        expect([400, 403]).toContain(refused.status);
        expectConforms(refused, 'PUT', '/messages/{messageId}');
      }
    });

    it('webhooks and attachment actions', async () => {
      const hook = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
        name: 'contract',
        targetUrl: 'http://127.0.0.1:1/hook',
        resource: 'attachmentActions',
        event: 'created',
        secret: 's',
      });
      expectConforms(hook, 'POST', '/webhooks');
      expectConforms(await call(sandbox, sandbox.botToken, 'GET', '/webhooks'), 'GET', '/webhooks');
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', `/webhooks/${hook.body.id}`),
        'GET',
        '/webhooks/{webhookId}',
      );
      expectConforms(
        await call(sandbox, sandbox.botToken, 'PUT', `/webhooks/${hook.body.id}`, {
          name: 'renamed',
          targetUrl: 'http://127.0.0.1:1/hook',
        }),
        'PUT',
        '/webhooks/{webhookId}',
      );

      const card = await call(sandbox, sandbox.botToken, 'POST', '/messages', {
        toPersonEmail: SEED_EMAILS.host,
        text: 'card',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: { type: 'AdaptiveCard', version: '1.3', body: [] },
          },
        ],
      });
      const action = await call(sandbox, s.host.token, 'POST', '/attachment/actions', {
        type: 'submit',
        messageId: card.body.id,
        inputs: { Name: 'Hana' },
      });
      expectConforms(action, 'POST', '/attachment/actions');
      expectConforms(
        await call(sandbox, sandbox.botToken, 'GET', `/attachment/actions/${action.body.id}`),
        'GET',
        '/attachment/actions/{id}',
      );
      await sandbox.webhooks.idle();
    });
  });
});
