import { planWebhooks, webhooksHealthy, type ListedWebhook } from '../../src/bot/webhook-plan';

const desired = {
  name: 'b3Vycw==',
  targetUrl: 'https://bot.example.com/webhooks/webex',
  secret: 's3cret-value-0001',
};

let n = 0;
function hook(
  fields: Partial<ListedWebhook> & Pick<ListedWebhook, 'resource' | 'event'>,
): ListedWebhook {
  n++;
  return {
    id: `hook-${n}`,
    name: desired.name,
    targetUrl: desired.targetUrl,
    secret: desired.secret,
    status: 'active',
    created: `2024-01-01T00:00:0${n % 10}Z`,
    ...fields,
  };
}

const firehose = () => hook({ resource: 'all', event: 'all' });
const cards = () => hook({ resource: 'attachmentActions', event: 'created' });

describe('planWebhooks', () => {
  it('creates both webhooks when there are none', () => {
    const plan = planWebhooks(desired, []);
    expect(plan.actions).toEqual([
      { kind: 'create', spec: { resource: 'all', event: 'all' } },
      { kind: 'create', spec: { resource: 'attachmentActions', event: 'created' } },
    ]);
  });

  it('does nothing when both are as desired', () => {
    const listed = [firehose(), cards()];
    const plan = planWebhooks(desired, listed);
    expect(plan.actions).toEqual([]);
    expect(plan.verdicts.map((v) => v.role)).toEqual(['own', 'own']);
    expect(webhooksHealthy(desired, listed)).toBe(true);
  });

  it('fixes the target, the secret and a status Webex set to inactive or disabled', () => {
    const moved = hook({ resource: 'all', event: 'all', targetUrl: 'https://old.example.com/x' });
    const disabled = hook({
      resource: 'attachmentActions',
      event: 'created',
      status: 'disabled',
      secret: 'old',
    });
    const plan = planWebhooks(desired, [moved, disabled]);
    expect(plan.actions).toEqual([
      { kind: 'update', hook: moved, fixes: ['targetUrl'], body: { ...desired, status: 'active' } },
      {
        kind: 'update',
        hook: disabled,
        fixes: ['secret', 'status'],
        body: { ...desired, status: 'active' },
      },
    ]);
    expect(webhooksHealthy(desired, [moved, disabled])).toBe(false);
    // Readiness does not wait on a stale secret, only on the webhooks' name, target and status.
    expect(webhooksHealthy(desired, [firehose(), { ...cards(), secret: 'old' }])).toBe(true);
    expect(webhooksHealthy(desired, [firehose(), { ...cards(), status: 'inactive' }])).toBe(false);
  });

  it('fixes the name of a webhook that has our target (the framework drops events under another name)', () => {
    const renamed = hook({ resource: 'all', event: 'all', name: 'my bot' });
    const plan = planWebhooks(desired, [renamed, cards()]);
    expect(plan.actions).toEqual([
      { kind: 'update', hook: renamed, fixes: ['name'], body: { ...desired, status: 'active' } },
    ]);
  });

  it('keeps the best of our duplicates and removes the rest, never another app\u2019s webhooks', () => {
    const first = cards();
    const duplicate = cards();
    const inactiveDuplicate = hook({
      resource: 'attachmentActions',
      event: 'created',
      status: 'inactive',
    });
    const otherApp = hook({
      resource: 'attachmentActions',
      event: 'created',
      name: 'other',
      targetUrl: 'https://other.example.com/hook',
    });
    const otherResource = hook({ resource: 'messages', event: 'created' });
    const plan = planWebhooks(desired, [
      inactiveDuplicate,
      firehose(),
      duplicate,
      otherApp,
      first,
      otherResource,
    ]);
    expect(plan.actions).toEqual([
      { kind: 'remove', hook: duplicate, reason: 'duplicate' },
      { kind: 'remove', hook: inactiveDuplicate, reason: 'duplicate' },
    ]);
    const roles = Object.fromEntries(plan.verdicts.map((v) => [v.hook.id, v.role]));
    expect(roles[first.id]).toBe('own');
    expect(roles[otherApp.id]).toBe('other');
    expect(roles[otherResource.id]).toBe('other');
  });

  it('prefers a healthy webhook to an older broken one, so nothing needs fixing', () => {
    const oldBroken = hook({
      resource: 'all',
      event: 'all',
      status: 'inactive',
      created: '2020-01-01T00:00:00Z',
    });
    const healthy = firehose();
    const plan = planWebhooks(desired, [oldBroken, healthy, cards()]);
    expect(plan.actions).toEqual([{ kind: 'remove', hook: oldBroken, reason: 'duplicate' }]);
  });
});
