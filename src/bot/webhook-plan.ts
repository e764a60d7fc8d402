/**
 * Pure webhook reconciliation: given the webhooks Webex lists for the bot and the ones this
 * deployment needs, what to create, update and remove. No I/O, so every rule is a unit test.
 *
 * A listed webhook is this deployment's own when it has one of the required resource/event
 * pairs and either this deployment's name or its target URL. Of the own webhooks for one pair,
 * one is kept (fixed if its name, target, secret or status differ) and the rest are duplicates.
 * Everything else the bot owns (other names and targets: another app, another deployment)
 * is never touched.
 */

export interface WebhookSpec {
  resource: string;
  event: string;
}

/** messages (and the rest) through the firehose, card clicks through their own webhook. */
export const REQUIRED_WEBHOOKS: readonly WebhookSpec[] = [
  { resource: 'all', event: 'all' },
  { resource: 'attachmentActions', event: 'created' },
];

/** A webhook as `GET /webhooks` lists it. */
export interface ListedWebhook {
  id: string;
  name: string;
  resource: string;
  event: string;
  targetUrl: string;
  secret?: string;
  filter?: string;
  /** `active`, or `inactive` / `disabled` after Webex gave up delivering to it. */
  status?: string;
  created?: string;
}

/** What this deployment's webhooks must look like. */
export interface DesiredWebhooks {
  /** The framework's name for them (it drops events under any other name). */
  name: string;
  targetUrl: string;
  secret: string;
}

/** The fields `PUT /webhooks/{id}` takes. */
export interface WebhookUpdate {
  name: string;
  targetUrl: string;
  secret: string;
  status: 'active';
}

export type WebhookAction =
  | { kind: 'create'; spec: WebhookSpec }
  | { kind: 'update'; hook: ListedWebhook; body: WebhookUpdate; fixes: string[] }
  | { kind: 'remove'; hook: ListedWebhook; reason: 'duplicate' };

/** How one listed webhook compares with the desired state (for `npm run webhooks -- status`). */
export type WebhookVerdict =
  | { hook: ListedWebhook; role: 'own'; fixes: string[] }
  | { hook: ListedWebhook; role: 'duplicate' }
  | { hook: ListedWebhook; role: 'other' };

export interface WebhookPlan {
  actions: WebhookAction[];
  verdicts: WebhookVerdict[];
  /** Required pairs with no own webhook at all. */
  missing: WebhookSpec[];
}

/** True when `hook` is for `spec` and carries this deployment's name or target URL. */
export function isOwn(hook: ListedWebhook, spec: WebhookSpec, desired: DesiredWebhooks): boolean {
  return (
    hook.resource === spec.resource &&
    hook.event === spec.event &&
    (hook.name === desired.name || hook.targetUrl === desired.targetUrl)
  );
}

/** What differs between a kept webhook and the desired state, as field names. */
export function fixesFor(hook: ListedWebhook, desired: DesiredWebhooks): string[] {
  const fixes: string[] = [];
  if (hook.name !== desired.name) fixes.push('name');
  if (hook.targetUrl !== desired.targetUrl) fixes.push('targetUrl');
  if (hook.secret !== desired.secret) fixes.push('secret');
  if ((hook.status ?? 'active') !== 'active') fixes.push('status');
  return fixes;
}

/**
 * Plans the reconciliation. The kept webhook of a pair is the one needing the fewest fixes,
 * then the oldest, so repeated runs (and several replicas) agree on which one stays.
 * @example planWebhooks({ name, targetUrl, secret }, listed).actions
 * // [{ kind: 'create', spec: { resource: 'attachmentActions', event: 'created' } }]
 */
export function planWebhooks(desired: DesiredWebhooks, listed: ListedWebhook[]): WebhookPlan {
  const actions: WebhookAction[] = [];
  const verdicts = new Map<string, WebhookVerdict>();
  const missing: WebhookSpec[] = [];
  for (const spec of REQUIRED_WEBHOOKS) {
    const own = listed
      .filter((hook) => isOwn(hook, spec, desired))
      .sort(
        (a, b) =>
          fixesFor(a, desired).length - fixesFor(b, desired).length ||
          (a.created ?? '').localeCompare(b.created ?? '') ||
          a.id.localeCompare(b.id),
      );
    const [kept, ...duplicates] = own;
    if (!kept) {
      missing.push(spec);
      actions.push({ kind: 'create', spec });
      continue;
    }
    const fixes = fixesFor(kept, desired);
    verdicts.set(kept.id, { hook: kept, role: 'own', fixes });
    if (fixes.length > 0) {
      const { name, targetUrl, secret } = desired;
      actions.push({
        kind: 'update',
        hook: kept,
        body: { name, targetUrl, secret, status: 'active' },
        fixes,
      });
    }
    for (const hook of duplicates) {
      verdicts.set(hook.id, { hook, role: 'duplicate' });
      actions.push({ kind: 'remove', hook, reason: 'duplicate' });
    }
  }
  const ordered = listed.map(
    (hook): WebhookVerdict => verdicts.get(hook.id) ?? { hook, role: 'other' },
  );
  return { actions, verdicts: ordered, missing };
}

/**
 * True when every required pair has an own webhook that is active (what readiness asks): one
 * needing no fix, bar perhaps its secret (a stale secret alone is left to the reconcile).
 * @example webhooksHealthy(desired, listed) // false while the cards webhook is inactive
 */
export function webhooksHealthy(desired: DesiredWebhooks, listed: ListedWebhook[]): boolean {
  return REQUIRED_WEBHOOKS.every((spec) =>
    listed.some(
      (hook) =>
        isOwn(hook, spec, desired) && fixesFor(hook, desired).every((fix) => fix === 'secret'),
    ),
  );
}
