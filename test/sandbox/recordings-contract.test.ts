/**
 * Contract test: the sandbox's Recording Report responses and parameters against Webex's own
 * OpenAPI description (the trimmed copy in test/fixtures/webex-openapi/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  ACCESS_DETAIL_QUERY_PARAMS,
  ACCESS_SUMMARY_QUERY_PARAMS,
  RECORDING_REPORT_DEFAULT_MAX,
  RECORDING_REPORT_MAX_LIMIT,
  recordingsRouter,
} from '../../src/sandbox/routes/recordings';
import { SEED_RECORDING_IDS, seedRecordings } from '../../src/sandbox/seed-recordings';
import { SandboxState } from '../../src/sandbox/state';
import { addSandboxPerson, serveRouters, type MiniApp } from './mini-app';

const SPEC_PATH = path.resolve(__dirname, '../fixtures/webex-openapi/webex-meeting.json');

/** The parts of an OpenAPI 3.0 document this test reads. */
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  $ref?: string;
  [keyword: string]: unknown;
}
interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path';
  required?: boolean;
  description?: string;
  schema?: { default?: unknown };
}
interface Operation {
  parameters: Parameter[];
  responses: Record<
    string,
    { content?: Record<string, { schema: JsonSchema; example?: { items: unknown[] } }> }
  >;
}
interface Spec {
  paths: Record<string, { get: Operation }>;
  components: { schemas: Record<string, JsonSchema> };
}

const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Spec;
const DETAIL = spec.paths['/recordingReport/accessDetail'].get;
const SUMMARY = spec.paths['/recordingReport/accessSummary'].get;

function okContent(op: Operation): { schema: JsonSchema; example?: { items: unknown[] } } {
  return Object.values(op.responses['200'].content ?? {})[0];
}

/**
 * The 200 body schema with its $ref inlined, made strict: Webex's schemas declare no
 * `required` and allow extra fields, so we require every declared field, forbid others and
 * check that `…Time`/`time…` fields are date-times.
 */
function strictResponseSchema(op: Operation): JsonSchema {
  const itemRef = okContent(op).schema.properties?.items?.items?.$ref;
  const name = String(itemRef).replace('#/components/schemas/', '');
  const item = spec.components.schemas[name];
  const properties: Record<string, JsonSchema> = {};
  for (const [key, prop] of Object.entries(item.properties ?? {})) {
    const { example: _example, description: _description, ...rest } = prop;
    properties[key] = /time/i.test(key) ? { ...rest, format: 'date-time' } : rest;
  }
  return {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties,
          required: Object.keys(properties),
          additionalProperties: false,
        },
      },
    },
  };
}

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateDetail: ValidateFunction = ajv.compile(strictResponseSchema(DETAIL));
const validateSummary: ValidateFunction = ajv.compile(strictResponseSchema(SUMMARY));

let app: MiniApp;
let base: string;
let hostToken: string;
let adminToken: string;

beforeAll(async () => {
  const state = new SandboxState();
  for (const [email, admin] of [
    ['host@example.com', false],
    ['admin@example.com', true],
  ] as const) {
    const id = addSandboxPerson(state, email, email, { admin });
    const token = `t-${email}`;
    state.tokens.set(token, {
      token,
      personId: id,
      kind: 'oauth',
      scopes: admin ? ['meeting:admin_recordings_read'] : ['meeting:recordings_read'],
    });
    if (admin) adminToken = token;
    else hostToken = token;
  }
  seedRecordings(state);
  app = await serveRouters(recordingsRouter(state));
  base = app.base;
});

afterAll(() => app.close());

async function getJson(
  pathAndQuery: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${pathAndQuery}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { status: res.status, body: await res.json() };
}

function expectValid(validate: ValidateFunction, body: unknown): void {
  const valid = validate(body);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

describe('accessDetail matches webex-meeting.json', () => {
  it("returns the spec's example body for the example recording", async () => {
    const res = await getJson(
      `/recordingReport/accessDetail?recordingId=${SEED_RECORDING_IDS.example}`,
      hostToken,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(okContent(DETAIL).example);
  });

  it.each([
    ['no timezone', {}],
    ['a timezone', { timezone: 'Asia/Tokyo' }],
  ])('validates against RecordingReportObject with %s', async (_label, headers) => {
    for (const id of Object.values(SEED_RECORDING_IDS)) {
      if (id === SEED_RECORDING_IDS.board || id === SEED_RECORDING_IDS.confidential) continue;
      const res = await getJson(
        `/recordingReport/accessDetail?recordingId=${id}&max=100`,
        hostToken,
        headers,
      );
      expect(res.status).toBe(200);
      expectValid(validateDetail, res.body);
    }
  });

  it('validates an admin on-behalf-of response', async () => {
    const res = await getJson(
      `/recordingReport/accessDetail?recordingId=${SEED_RECORDING_IDS.board}&hostEmail=other.host@example.com`,
      adminToken,
    );
    expect(res.status).toBe(200);
    expectValid(validateDetail, res.body);
  });
});

describe('accessSummary matches webex-meeting.json', () => {
  it('validates against RecordingReportSummaryObject', async () => {
    // With only `from`, `to` defaults to 7 days after it (spec), so give both.
    const from = new Date(Date.now() - 89 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    for (const headers of [{}, { timezone: 'America/New_York' }] as Array<Record<string, string>>) {
      const res = await getJson(
        `/recordingReport/accessSummary?from=${from}&to=${to}&max=100`,
        hostToken,
        headers,
      );
      expect(res.status).toBe(200);
      expect((res.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expectValid(validateSummary, res.body);
    }
    const all = await getJson(
      `/recordingReport/accessSummary?hostEmail=all&from=${from}&to=${to}`,
      adminToken,
    );
    expectValid(validateSummary, all.body);
  });

  it("the spec's own example passes the strict schema (the check itself is sound)", () => {
    expectValid(validateSummary, okContent(SUMMARY).example);
    expectValid(validateDetail, okContent(DETAIL).example);
  });
});

describe('parameters match webex-meeting.json', () => {
  const queryNames = (op: Operation) =>
    op.parameters.filter((p) => p.in === 'query').map((p) => p.name);

  it('accepts only query parameters the spec defines', () => {
    expect(queryNames(DETAIL).sort()).toEqual([...ACCESS_DETAIL_QUERY_PARAMS].sort());
    expect(queryNames(SUMMARY).sort()).toEqual([...ACCESS_SUMMARY_QUERY_PARAMS].sort());
  });

  it('reads the timezone header the spec defines, and requires recordingId as it does', () => {
    for (const op of [DETAIL, SUMMARY]) {
      expect(op.parameters.some((p) => p.in === 'header' && p.name === 'timezone')).toBe(true);
    }
    expect(DETAIL.parameters.find((p) => p.name === 'recordingId')?.required).toBe(true);
  });

  it('uses the spec’s max default and limits', () => {
    for (const op of [DETAIL, SUMMARY]) {
      const max = op.parameters.find((p) => p.name === 'max');
      expect(max?.schema?.default).toBe(RECORDING_REPORT_DEFAULT_MAX);
      expect(max?.description).toContain(`less than \`${RECORDING_REPORT_MAX_LIMIT}\``);
      expect(max?.description).toContain('greater than `1`');
    }
  });

  it('enforces the window limits the spec states for from/to', () => {
    const from = SUMMARY.parameters.find((p) => p.name === 'from')?.description ?? '';
    expect(from).toContain('cannot exceed 90 days');
    expect(from).toContain('cannot exceed 365 days');
  });
});
