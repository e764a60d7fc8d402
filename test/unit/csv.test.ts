import { accessCsv, csvFileName, csvRow, neutraliseCell } from '../../src/report/csv';
import { externalTest } from '../../src/report/organisation';
import type { AccessRecord } from '../../src/report/types';
import { accessRecord } from '../helpers/access-records';

/** The organisation is the requester's own domain, example.com. */
const outside = externalTest([], 'host@example.com');
const record = (over: Partial<AccessRecord> = {}): AccessRecord => accessRecord({ ...over });

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseCell(bad)).toBe(`'${bad}`);
    }
    expect(neutraliseCell('Zoë = fine')).toBe('Zoë = fine');
  });

  it('writes one row per access with times in the zone (with offset) and in UTC', () => {
    expect(csvRow(record(), 'America/Los_Angeles', outside)).toEqual([
      'John Andersen',
      'john.andersen@example.com',
      'yes',
      'no',
      '2020-07-13T10:05:35-07:00',
      '2020-07-13T17:05:35Z',
      'false',
    ]);
    expect(csvRow(record({ accessTime: 'garbage' }), 'UTC', outside).slice(4, 6)).toEqual(['', '']);
  });

  it('streams a header and quoted rows, injection neutralised', async () => {
    const csv = await text(
      accessCsv(
        [record(), record({ name: '=HYPERLINK("https://evil.example","x")', downloaded: true })],
        'Asia/Kolkata',
        outside,
      ),
    );
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(
      'Name,Email,Viewed,Downloaded,Access time (Asia/Kolkata),Access time (UTC),external',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      'John Andersen,john.andersen@example.com,yes,no,2020-07-13T22:35:35+05:30,2020-07-13T17:05:35Z,false',
    );
    expect(lines[2]).toMatch(/^"'=HYPERLINK\(""https:\/\/evil\.example"",""x""\)",/);
  });

  it('says in every row whether the person is outside the organisation, by email alone', async () => {
    const rows = [
      record(),
      // Names claiming the organisation change nothing: the domain decides.
      record({ name: 'Example.com IT Team', email: 'eve@evil.example' }),
      record({ name: 'Brenda (example.com)', email: 'brenda@eu.example.com' }),
      record({ name: 'No email', email: '' }),
      record({ name: 'Look-alike', email: 'x@example.com.evil.test' }),
    ];
    expect(rows.map((r) => csvRow(r, 'UTC', outside)[6])).toEqual([
      'false',
      'true',
      'false',
      'true',
      'true',
    ]);
    // With ORG_EMAIL_DOMAINS set, the requester's own domain no longer counts by itself.
    const configured = externalTest(['evil.example'], 'host@example.com');
    expect(rows.map((r) => csvRow(r, 'UTC', configured)[6])).toEqual([
      'true',
      'false',
      'true',
      'true',
      'true',
    ]);
    const lines = (await text(accessCsv(rows, 'UTC', outside))).trimEnd().split('\n');
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual([
      'false',
      'true',
      'false',
      'true',
      'true',
    ]);
  });

  it('names the file after the recording and the day in the requester zone', () => {
    const now = Date.parse('2026-11-28T23:30:00Z');
    expect(csvFileName('4f914b1d', now, 'UTC')).toBe('recording-access-4f914b1d-2026-11-28.csv');
    expect(csvFileName('4f914b1d', now, 'Asia/Tokyo')).toBe(
      'recording-access-4f914b1d-2026-11-29.csv',
    );
    expect(csvFileName('../../etc/passwd', now, 'UTC')).toBe(
      'recording-access-etcpasswd-2026-11-28.csv',
    );
  });
});
