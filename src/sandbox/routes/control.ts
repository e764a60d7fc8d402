/** The sandbox's control API under `/_sandbox` (documented at the top of ../faults.ts). */
import express, { Router } from 'express';
import { accessRecordsToAdd } from '../access-input';
import type { FaultInjector } from '../faults';
import { faultConfigSchema, faultRuleSchema } from '../faults';
import type { SandboxFacts } from '../facts';
import { sendWebexError } from '../http';
import { sortByAccessTime } from '../seed-recordings';
import type { SandboxState } from '../state';
import {
  deliverySettingsSchema,
  type DeliverySettings,
  type DeliveryStats,
} from '../webhook-delivery';

export interface ControlDeps {
  state: SandboxState;
  faults: FaultInjector;
  facts: () => SandboxFacts;
  deliveries: () => DeliveryStats;
  delivery: {
    get(): DeliverySettings;
    set(settings: DeliverySettings): DeliverySettings;
  };
  unhandled: () => string[];
  /** The sandbox's clock, epoch ms (default Date.now): added accesses default to it. */
  now?: () => number;
}

/**
 * @example app.use('/_sandbox', controlRouter({ state, faults, facts, deliveries, delivery, unhandled }))
 */
export function controlRouter(deps: ControlDeps): Router {
  const router = Router();
  router.use(express.json());

  router.get('/facts', (_req, res) => {
    res.json(deps.facts());
  });

  router.get('/faults', (_req, res) => {
    res.json(deps.faults.config());
  });

  router.put('/faults', (req, res) => {
    const body: unknown = req.body;
    const asConfig = faultConfigSchema.safeParse(body);
    if (asConfig.success) {
      deps.faults.set(asConfig.data.rules, { seed: asConfig.data.seed });
      res.json(deps.faults.config());
      return;
    }
    const asRules = faultRuleSchema.array().or(faultRuleSchema).safeParse(body);
    if (!asRules.success) {
      sendWebexError(res, 400, `Invalid fault rules: ${asConfig.error.message}`);
      return;
    }
    deps.faults.set(asRules.data);
    res.json(deps.faults.config());
  });

  router.delete('/faults', (_req, res) => {
    deps.faults.clear();
    res.status(204).end();
  });

  router.get('/calls', (_req, res) => {
    res.json({ ...deps.faults.counts(), webhookDeliveries: deps.deliveries() });
  });

  router.delete('/calls', (_req, res) => {
    deps.faults.resetCounts();
    res.status(204).end();
  });

  router.get('/delivery', (_req, res) => {
    res.json(deps.delivery.get());
  });

  router.put('/delivery', (req, res) => {
    const parsed = deliverySettingsSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendWebexError(res, 400, `Invalid delivery settings: ${parsed.error.message}`);
      return;
    }
    res.json(deps.delivery.set(parsed.data));
  });

  router.delete('/delivery', (_req, res) => {
    deps.delivery.set(deliverySettingsSchema.parse({}));
    res.status(204).end();
  });

  router.post('/tokens/expire', (req, res) => {
    const token: unknown = req.body?.token;
    const entry = typeof token === 'string' ? deps.state.tokens.get(token) : undefined;
    if (!entry) {
      sendWebexError(res, 404, 'Unknown token.');
      return;
    }
    entry.expiresAt = Date.now() - 1;
    res.status(204).end();
  });

  // As when a person revokes the integration in Webex: its access and refresh tokens stop
  // working (seeded personal tokens stay: they are the person's own, not an integration's).
  router.post('/tokens/revoke', (req, res) => {
    const email: unknown = req.body?.email;
    const person = typeof email === 'string' ? deps.state.personByEmail(email) : undefined;
    if (!person) {
      sendWebexError(res, 404, 'Unknown person.');
      return;
    }
    let revoked = 0;
    for (const [token, entry] of deps.state.tokens) {
      if (entry.personId === person.id && entry.kind === 'oauth') {
        deps.state.tokens.delete(token);
        revoked++;
      }
    }
    for (const [token, entry] of deps.state.refreshTokens) {
      if (entry.personId === person.id) {
        deps.state.refreshTokens.delete(token);
        revoked++;
      }
    }
    res.json({ revoked });
  });

  router.post('/recordings/:recordingId/access', (req, res) => {
    const recording = deps.state.recordings.get(req.params.recordingId);
    if (!recording) {
      sendWebexError(res, 404, 'The requested recording could not be found.');
      return;
    }
    const added = accessRecordsToAdd(req.body, recording, (deps.now ?? Date.now)());
    if (!added.ok) {
      sendWebexError(res, 400, added.message);
      return;
    }
    // A new list: accessDetail's sorted view of the old one is not reused.
    recording.accessRecords = sortByAccessTime([...recording.accessRecords, ...added.records]);
    res.status(201).json({
      recordingId: recording.id,
      added: added.records.length,
      items: added.records.map((record) => ({ recordingId: recording.id, ...record })),
      viewCount: recording.accessRecords.filter((r) => r.viewed).length,
      downloadCount: recording.accessRecords.filter((r) => r.downloaded).length,
    });
  });

  router.get('/unhandled', (_req, res) => {
    res.json({ items: deps.unhandled() });
  });

  return router;
}
