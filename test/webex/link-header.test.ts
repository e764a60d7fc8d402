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
    ["<https://a/p?c=2>; rel=next; title*=UTF-8'de'n%c3%a4chste", 'https://a/p?c=2'],
    ['  <https://a/p?c=2> ; rel = "next" ', 'https://a/p?c=2'],
    ['garbage', undefined],
    // A header that cannot be parsed as a whole ends paging rather than guessing.
    ['<https://a/p?c=2>; rel="next", garbage', undefined],
  ])('%p → %p', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
