import { parseCardAction, reportActions } from '../../src/report/card-actions';

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
    expect(parseCardAction(actions.refresh)).toEqual({ action: 'audit.refresh', ...view, page: 1 });
  });

  it('apply a newly chosen filter from page 1, and keep the page otherwise', () => {
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
