import { isReportCardFor, parseCardAction, reportActions } from '../../src/report/card-actions';

const view = {
  recordingId: 'rec1',
  filter: 'everyone' as const,
  page: 2,
  requesterId: 'PERSON',
};

describe('report card buttons', () => {
  it('carry the whole view, so any replica can answer a click', () => {
    const actions = reportActions(view, 3);
    expect(actions.hasPrev).toBe(true);
    expect(actions.hasNext).toBe(true);
    expect(parseCardAction(actions.next)).toEqual({ action: 'audit.page', ...view, page: 3 });
    expect(parseCardAction(actions.prev)).toEqual({ action: 'audit.page', ...view, page: 1 });
    expect(parseCardAction(actions.export)).toEqual({ action: 'audit.export', ...view });
    expect(parseCardAction(actions.refresh)).toEqual({ action: 'audit.refresh', ...view });
  });

  it('have a button per filter that shows it from page 1', () => {
    const { filters } = reportActions(view, 3);
    for (const filter of ['everyone', 'viewed', 'downloaded', 'external'] as const) {
      expect(parseCardAction(filters[filter])).toEqual({
        action: 'audit.page',
        ...view,
        filter,
        page: 1,
      });
    }
  });

  it('still read cards from before the filter buttons: a new "Show" choice from page 1', () => {
    const { next, refresh } = reportActions({ ...view, filter: 'viewed' }, 3);
    expect(parseCardAction({ ...next, filterChoice: 'downloaded' })).toEqual({
      action: 'audit.page',
      ...view,
      page: 1,
      filter: 'downloaded',
    });
    expect(parseCardAction({ ...next, filterChoice: 'viewed' })).toMatchObject({ page: 3 });
    expect(parseCardAction({ ...refresh, filterChoice: 'everyone' })).toMatchObject({
      action: 'audit.refresh',
      filter: 'everyone',
    });
  });

  it('have no Previous on the first page and no Next on the last', () => {
    expect(reportActions({ ...view, page: 1 }, 1)).toMatchObject({
      hasPrev: false,
      hasNext: false,
    });
  });

  it('reject what is not ours', () => {
    expect(parseCardAction({})).toBeNull();
    expect(parseCardAction({ action: 'audit.page', recordingId: 'r' })).toBeNull();
    expect(parseCardAction({ ...view, action: 'rm -rf' })).toBeNull();
    expect(parseCardAction({ ...view, action: 'audit.page', filter: 'everything' })).toBeNull();
  });
});

describe('which card a new view replaces', () => {
  const card = (data: Record<string, unknown>) => ({
    type: 'AdaptiveCard',
    body: [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'x', data }] }],
  });
  const page = reportActions(view, 3).next;

  it('is a report card for the same person and recording', () => {
    expect(isReportCardFor(card(page), 'PERSON', 'rec1')).toBe(true);
  });

  it("is never another card: someone else's report, another recording, help, nothing", () => {
    expect(isReportCardFor(card(page), 'SOMEONE_ELSE', 'rec1')).toBe(false);
    expect(isReportCardFor(card(page), 'PERSON', 'rec2')).toBe(false);
    expect(
      isReportCardFor(
        card({ action: 'recordings.audit', requesterId: 'PERSON', recordingChoice: 'rec1' }),
        'PERSON',
        'rec1',
      ),
    ).toBe(false);
    expect(isReportCardFor({ type: 'AdaptiveCard', body: [] }, 'PERSON', 'rec1')).toBe(false);
    expect(isReportCardFor(undefined, 'PERSON', 'rec1')).toBe(false);
    expect(isReportCardFor(card({ action: 'audit.page' }), 'PERSON', 'rec1')).toBe(false);
  });
});
