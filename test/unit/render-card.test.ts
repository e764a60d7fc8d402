import { CARD_TEMPLATES, createCardRenderer, type Json } from '../../src/report/render-card';

/** Every template name bound to the same small card, so a test can swap one. */
function templates(over: Partial<Record<(typeof CARD_TEMPLATES)[number], Json>> = {}) {
  const plain: Json = {
    type: 'AdaptiveCard',
    version: '1.3',
    body: [{ type: 'TextBlock', text: '${title}' }],
  };
  return {
    ...(Object.fromEntries(CARD_TEMPLATES.map((name) => [name, plain])) as Record<
      (typeof CARD_TEMPLATES)[number],
      Json
    >),
    ...over,
  };
}

describe('card renderer (templates injected)', () => {
  it('binds the template it was given, without reading cards/', () => {
    const cards = createCardRenderer(templates());
    expect(cards.render('message', { title: 'Disconnected' }).body).toEqual([
      { type: 'TextBlock', text: 'Disconnected' },
    ]);
  });

  it('refuses a template that does not make an Adaptive Card', () => {
    const cards = createCardRenderer(templates({ help: { type: 'Container', items: [] } }));
    expect(() => cards.render('help', {})).toThrow(
      'Card template help did not produce an AdaptiveCard',
    );
    expect(cards.render('connect', { title: 'ok' }).type).toBe('AdaptiveCard');
  });
});
