import { nextLink } from '../../src/webex/link-header';

describe('nextLink', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['<https://a.example/v1/x?cursor=1>; rel="next"', 'https://a.example/v1/x?cursor=1'],
    ['<https://a.example/v1/x?c=1>; rel=next', 'https://a.example/v1/x?c=1'],
    ['<https://a/p?c=0>; rel="prev", <https://a/p?c=2>; rel="next"', 'https://a/p?c=2'],
    ['<https://a/p?c=2>; rel="next last"', 'https://a/p?c=2'],
    ['<https://a/p?c=2>; title="x, y"; rel="NEXT"', 'https://a/p?c=2'],
    ['<https://a/p?list=a,b>; rel="next"', 'https://a/p?list=a,b'],
    ['<https://a/p?c=0>; rel="prev"', undefined],
    ['<https://a/p?c=0>; rel="nextish"', undefined],
    ['garbage', undefined],
  ])('%p → %p', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
