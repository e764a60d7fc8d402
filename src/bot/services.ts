import type { AccountLinker } from '../auth/linking';
import type { PersonTokens } from '../auth/person-tokens';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Clock } from '../scheduler/clock';
import type { Scheduler } from '../scheduler/scheduler';
import type { Store } from '../store/store';
import type { WebexHttp } from '../webex/client';
import type { Digests } from './digest';
import type { RecordsCache } from './records-cache';
import type { Messenger } from './replies';
import type { UsageLog } from './usage-log';
import type { Watches } from './watches';

/** Everything a command may use; built once in the composition root. */
export interface BotServices {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  http: WebexHttp;
  store: Store;
  /** Durable jobs: one run across replicas (src/scheduler/). */
  scheduler: Scheduler;
  /** The scheduler's clock: what the usage log and the digest take their time from. */
  clock: Clock;
  messenger: Messenger;
  tokens: PersonTokens;
  linker: AccountLinker;
  recordsCache: RecordsCache;
  /** Weekly digests: subscriptions and their scheduler jobs. */
  digests: Digests;
  /** The bot's own usage log, pruned after USAGE_RETENTION_DAYS. */
  usageLog: UsageLog;
  /** `watch` and its poll jobs. */
  watches: Watches;
}
