/**
 * How a card sits on the chat page: whether anything sticks out sideways (a horizontal scroll,
 * a button cut off at the edge), measured in the page as a person would see it.
 */
import type { Locator } from 'playwright-core';

export interface Overflow {
  scrollWidth: number;
  clientWidth: number;
}

/**
 * An element's scroll and client widths; it scrolls sideways when the first is larger.
 * @example const { scrollWidth, clientWidth } = await widths(card);
 */
export function widths(element: Locator): Promise<Overflow> {
  return element.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
}

/**
 * The titles of a card's buttons that do not fit inside it (cut off at its edge), so a test
 * can say which. Empty when every button shows whole.
 * @example expect(await buttonsCutOff(card)).toEqual([]);
 */
export function buttonsCutOff(card: Locator): Promise<string[]> {
  return card.evaluate((element) => {
    // The renderer clips a row of buttons at the card's padding, not at its border.
    const inner = element.querySelector<HTMLElement>('.ac-adaptiveCard') ?? element;
    const rect = inner.getBoundingClientRect();
    const style = getComputedStyle(inner);
    const box = {
      left: rect.left + parseFloat(style.paddingLeft),
      right: rect.right - parseFloat(style.paddingRight),
    };
    return Array.from(element.querySelectorAll('button'))
      .filter((button) => {
        const r = button.getBoundingClientRect();
        return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5);
      })
      .map((button) => button.textContent ?? '');
  });
}
