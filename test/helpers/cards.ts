/**
 * Adaptive Card checks for tests: Microsoft's parser (targeting 1.3, as Webex renders)
 * plus rules the parser does not enforce (Webex limits, unbound template bindings).
 */
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards/dist/adaptivecards.js';

/** Webex rejects card attachments much above this (bytes of the JSON). */
export const MAX_CARD_BYTES = 16 * 1024;
export const MAX_ACTIONS = 5;

/** Element and action types that exist in Adaptive Cards 1.3. */
const TYPES_1_3 = new Set([
  'AdaptiveCard',
  'TextBlock',
  'Image',
  'Media',
  'MediaSource',
  'RichTextBlock',
  'TextRun',
  'ActionSet',
  'Container',
  'ColumnSet',
  'Column',
  'FactSet',
  'ImageSet',
  'Input.Text',
  'Input.Number',
  'Input.Date',
  'Input.Time',
  'Input.Toggle',
  'Input.ChoiceSet',
  'Action.OpenUrl',
  'Action.Submit',
  'Action.ShowCard',
  'Action.ToggleVisibility',
]);

/** Properties from 1.4+ that the 1.3 parser may accept silently (kept as unknown props). */
const PROPS_AFTER_1_3 = new Set([
  'refresh',
  'authentication',
  'rtl',
  'isEnabled',
  'mode',
  'tooltip',
  'targetWidth',
  'metadata',
  'showBorder',
  'roundedCorners',
  'layouts',
  'grid.area',
  'menuActions',
  'themedUrls',
  'conditionallyEnabled',
  'labelPosition',
  'labelWidth',
  'inputStyle',
  'valueChangedAction',
]);

type JsonObject = { [key: string]: unknown };

/**
 * Problems with a rendered card; an empty list means it is fine for Webex.
 *
 * @example expect(validateCard(renderCard('help', data))).toEqual([]);
 */
export function validateCard(card: unknown): string[] {
  const problems: string[] = [];
  if (!card || typeof card !== 'object' || Array.isArray(card)) return ['card is not an object'];
  const root = card as JsonObject;
  if (root.type !== 'AdaptiveCard') problems.push(`type is ${String(root.type)}, not AdaptiveCard`);
  if (root.version !== '1.3') problems.push(`version is ${String(root.version)}, not 1.3`);

  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > MAX_CARD_BYTES) problems.push(`card is ${bytes} bytes, over ${MAX_CARD_BYTES}`);

  walk(card, '$', (node, where) => {
    if (typeof node === 'string') {
      if (node.includes('${')) problems.push(`${where}: unbound template binding "${node}"`);
      return;
    }
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const obj = node as JsonObject;
    if (typeof obj.type === 'string') {
      // Webex shows at most 5 buttons in a row: the card's actions, or one ActionSet's.
      if (Array.isArray(obj.actions) && obj.actions.length > MAX_ACTIONS) {
        problems.push(`${where}: ${obj.actions.length} actions, Webex allows ${MAX_ACTIONS}`);
      }
      if (!TYPES_1_3.has(obj.type)) problems.push(`${where}: type ${obj.type} is not in 1.3`);
      if (obj.type === 'TextBlock' && obj.style !== undefined) {
        problems.push(`${where}: TextBlock style is 1.5+`);
      }
    }
    for (const key of Object.keys(obj)) {
      if (PROPS_AFTER_1_3.has(key)) problems.push(`${where}: property ${key} is newer than 1.3`);
      if (key === '$data' || key === '$when') problems.push(`${where}: template key ${key} left`);
    }
  });

  const ctx = new SerializationContext();
  ctx.targetVersion = Versions.v1_3;
  new AdaptiveCard().parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    problems.push(`parser: ${e.message}`);
  }
  return problems;
}

/** Jest assertion: the card has no problems (the message lists them). */
export function expectValidCard(card: unknown): void {
  expect(validateCard(card)).toEqual([]);
}

/** Size in bytes of the card's JSON. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

function walk(node: unknown, where: string, visit: (node: unknown, where: string) => void): void {
  visit(node, where);
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`, visit));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`, visit);
  }
}
