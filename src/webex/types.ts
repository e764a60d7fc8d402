/** One access to a recording (accessDetail item). One person may appear many times. */
export interface AccessRecord {
  recordingId: string;
  topic: string;
  name: string;
  email: string;
  /** ISO 8601, in the zone asked for with the `timezone` header. */
  accessTime: string;
  viewed: boolean;
  downloaded: boolean;
}

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
