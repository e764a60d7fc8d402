/** The report's input type lives with the report; the client returns exactly that. */
export type { AccessRecord } from '../report/types';

/** One recording's counters (accessSummary item). */
export interface AccessSummary {
  recordingId: string;
  topic: string;
  timeRecorded: string;
  siteUrl: string;
  hostEmail: string;
  viewCount: number;
  downloadCount: number;
}

/** The part of `GET /people/me` we use. `timezone` is present only when the person set one. */
export interface Me {
  id: string;
  emails: string[];
  displayName: string;
  timezone?: string;
}
