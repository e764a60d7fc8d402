import { english } from '../../src/locales';
import { buildRecordingsCardData, summaryWindows } from '../../src/report/recordings';

const DAY = 24 * 60 * 60_000;
const now = Date.parse('2026-11-28T12:00:00Z');

describe('summaryWindows', () => {
  it('asks for one window when it fits in 90 days', () => {
    expect(summaryWindows(now, 30)).toEqual([
      { from: new Date(now - 30 * DAY), to: new Date(now) },
    ]);
  });

  it('splits longer spans into windows of at most 90 days, newest first', () => {
    const windows = summaryWindows(now, 200);
    expect(windows).toHaveLength(3);
    for (const w of windows)
      expect(w.to.getTime() - w.from.getTime()).toBeLessThanOrEqual(90 * DAY);
    expect(windows[0].to.getTime()).toBe(now);
    expect(windows[2].from.getTime()).toBe(now - 200 * DAY);
  });

  it('never reaches further back than Webex keeps (365 days)', () => {
    const windows = summaryWindows(now, 365);
    expect(windows[windows.length - 1].from.getTime()).toBeGreaterThan(now - 365 * DAY);
  });
});

describe('buildRecordingsCardData', () => {
  const recording = (id: string, daysAgo: number, topic = `Topic ${id}`) => ({
    recordingId: id,
    topic,
    timeRecorded: new Date(now - daysAgo * DAY).toISOString(),
    hostEmail: 'host@example.com',
    viewCount: 1200,
    downloadCount: 3,
  });

  it('lists newest first with counts and offers each in the picker', () => {
    const data = buildRecordingsCardData({
      recordings: [recording('a', 10), recording('b', 2)],
      days: 30,
      messages: english(),
      zone: 'UTC',
      locale: 'en-US',
      requesterId: 'P',
    });
    expect(data.rows.map((r) => r.topic)).toEqual(['Topic b', 'Topic a']);
    expect(data.rows[0].detail).toContain('1,200 views · 3 downloads');
    expect(data.choices.map((c) => c.value)).toEqual(['b', 'a']);
    expect(data.auditData).toEqual({ action: 'recordings.audit', requesterId: 'P' });
  });

  it("carries the host in an admin's choices and escapes topics", () => {
    const data = buildRecordingsCardData({
      recordings: [recording('a', 1, '*bold* [x](https://evil.example)')],
      days: 30,
      messages: english(),
      zone: 'UTC',
      locale: 'en-US',
      host: 'all',
      requesterId: 'P',
    });
    expect(data.choices[0].value).toBe('a host@example.com');
    expect(data.rows[0].topic.startsWith('\\*bold\\*')).toBe(true);
  });
});
