import { ConfigError, loadConfig } from '../../src/config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const webexEnv = {
  WEBEX_BOT_TOKEN: 'bot-token-secret-value',
  PUBLIC_URL: 'https://audit.example.com/',
  WEBEX_WEBHOOK_SECRET: 'hook-secret-value-long-enough',
  WEBEX_CLIENT_ID: 'client-id',
  WEBEX_CLIENT_SECRET: 'client-secret-value',
  TOKEN_ENCRYPTION_KEY: KEY,
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs in sandbox mode with defaults when no bot token is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'sandbox',
      apiUrl: 'https://webexapis.com/v1',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/audit-bot.db',
      defaultTimezone: 'UTC',
      defaultLocale: 'en-US',
      groupReply: 'dm',
      allowedEmailDomains: [],
      logLevel: 'info',
      shutdownGraceSeconds: 25,
      webhookReconcileSeconds: 60,
      orgEmailDomains: [],
      usageRetentionDays: 90,
    });
  });

  it('reads the organisation and how long the usage log is kept, and refuses nonsense', () => {
    const config = loadConfig({
      ORG_EMAIL_DOMAINS: 'Corp.Example, ,sub.corp.example',
      USAGE_RETENTION_DAYS: '30',
    });
    expect(config.orgEmailDomains).toEqual(['corp.example', 'sub.corp.example']);
    expect(config.usageRetentionDays).toBe(30);
    expect(() => loadConfig({ USAGE_RETENTION_DAYS: '0' })).toThrow(
      /USAGE_RETENTION_DAYS must be at least 1 day/,
    );
    expect(() => loadConfig({ USAGE_RETENTION_DAYS: 'forever' })).toThrow(
      /USAGE_RETENTION_DAYS must be a whole number of days/,
    );
  });

  it('reads how often webhooks are reconciled, and refuses nonsense', () => {
    expect(loadConfig({ WEBHOOK_RECONCILE_SECONDS: '5' }).webhookReconcileSeconds).toBe(5);
    expect(() => loadConfig({ WEBHOOK_RECONCILE_SECONDS: '0' })).toThrow(
      /WEBHOOK_RECONCILE_SECONDS must be at least 1 second/,
    );
    expect(() => loadConfig({ WEBHOOK_RECONCILE_SECONDS: 'often' })).toThrow(
      /WEBHOOK_RECONCILE_SECONDS must be a number of seconds/,
    );
  });

  it('reads the organisation domains and the watch interval, and refuses nonsense', () => {
    const config = loadConfig({ ORG_EMAIL_DOMAINS: ' Example.com, @corp.example ,, ' });
    expect(config.orgEmailDomains).toEqual(['example.com', 'corp.example']);
    expect(config.watchIntervalSeconds).toBe(900);
    expect(loadConfig({}).orgEmailDomains).toEqual([]);
    expect(loadConfig({ WATCH_INTERVAL_SECONDS: '5' }).watchIntervalSeconds).toBe(5);
    expect(() => loadConfig({ WATCH_INTERVAL_SECONDS: '4' })).toThrow(
      /WATCH_INTERVAL_SECONDS must be at least 5 seconds/,
    );
    expect(() => loadConfig({ WATCH_INTERVAL_SECONDS: '1.5' })).toThrow(
      /WATCH_INTERVAL_SECONDS must be a whole number of seconds/,
    );
  });

  it('reads a complete Webex configuration', () => {
    const config = loadConfig({
      ...webexEnv,
      GROUP_REPLY: 'ROOM',
      ALLOWED_EMAIL_DOMAINS: ' Example.com, , corp.example ',
    });
    expect(config.mode).toBe('webex');
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('https://audit.example.com');
    expect(config.groupReply).toBe('room');
    expect(config.allowedEmailDomains).toEqual(['example.com', 'corp.example']);
  });

  it('names every missing Webex-mode variable with a way to fix it', () => {
    const problems = problemsOf({ WEBEX_BOT_TOKEN: 'bot-token-secret-value' });
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'PUBLIC_URL',
      'TOKEN_ENCRYPTION_KEY',
      'WEBEX_CLIENT_ID',
      'WEBEX_CLIENT_SECRET',
      'WEBEX_WEBHOOK_SECRET',
    ]);
    expect(problems.find((p) => p.startsWith('WEBEX_CLIENT_ID'))).toMatch(/developer\.webex\.com/);
    expect(problems.find((p) => p.startsWith('TOKEN_ENCRYPTION_KEY'))).toMatch(/openssl rand/);
  });

  it('wants an https PUBLIC_URL and a long webhook secret in Webex mode', () => {
    const problems = problemsOf({
      ...webexEnv,
      PUBLIC_URL: 'http://audit.example.com',
      WEBEX_WEBHOOK_SECRET: 'short',
    });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'PUBLIC_URL',
      'WEBEX_WEBHOOK_SECRET',
    ]);
    expect(loadConfig({ ...webexEnv, PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrl).toBe(
      'http://127.0.0.1:3000',
    );
  });

  it('rejects invalid values without echoing them', () => {
    const problems = problemsOf({
      ...webexEnv,
      TOKEN_ENCRYPTION_KEY: 'not-a-real-key-secret',
      PORT: 'eighty',
      DEFAULT_TIMEZONE: 'Mars/Olympus',
      GROUP_REPLY: 'everyone',
      PUBLIC_URL: 'ftp://nope',
      DATABASE_URL: 'mysql://x',
    });
    const text = problems.join('\n');
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'DATABASE_URL',
      'DEFAULT_TIMEZONE',
      'GROUP_REPLY',
      'PORT',
      'PUBLIC_URL',
      'TOKEN_ENCRYPTION_KEY',
    ]);
    expect(text).toMatch(/Europe\/Berlin/);
    expect(text).not.toContain('not-a-real-key-secret');
    expect(text).not.toContain('bot-token-secret-value');
  });

  it('reads SHUTDOWN_GRACE_SECONDS as whole seconds, 0 allowed', () => {
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '40' }).shutdownGraceSeconds).toBe(40);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceSeconds).toBe(0);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: ' ' }).shutdownGraceSeconds).toBe(25);
  });

  it.each(['-1', '2.5', 'soon'])(
    'refuses SHUTDOWN_GRACE_SECONDS=%s and says how to fix it',
    (value) => {
      const problems = problemsOf({ SHUTDOWN_GRACE_SECONDS: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^SHUTDOWN_GRACE_SECONDS must be a whole number of seconds, 0 or more, e\.g\. 25/,
      );
      expect(problems[0]).toMatch(/terminationGracePeriodSeconds/);
    },
  );
});
