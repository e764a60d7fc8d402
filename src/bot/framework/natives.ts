/**
 * The `webex` SDK loads `@babel/polyfill`, i.e. core-js 2, which replaces some built-ins for
 * the whole process with JavaScript versions, because its feature tests predate today's
 * engines (its white-space test counts U+180E, which Unicode dropped from white space in 2016).
 * Node 20's own versions implement the same functions to the current spec, faster.
 */

/** A built-in core-js 2 replaces on Node 20, as `[owner, property]`. */
type Builtin = readonly [owner: object, key: string, label: string];

/** Checked against Node 20: each of these is replaced on load, and its native is spec-equal. */
export const CORE_JS_REPLACED: readonly Builtin[] = [
  [globalThis, 'parseInt', 'parseInt'],
  [globalThis, 'parseFloat', 'parseFloat'],
  [Number, 'parseInt', 'Number.parseInt'],
  [Number, 'parseFloat', 'Number.parseFloat'],
  [String.prototype, 'trim', 'String.prototype.trim'],
  [String.prototype, 'trimStart', 'String.prototype.trimStart'],
  [String.prototype, 'trimEnd', 'String.prototype.trimEnd'],
  [String.prototype, 'trimLeft', 'String.prototype.trimLeft'],
  [String.prototype, 'trimRight', 'String.prototype.trimRight'],
  [Math, 'sinh', 'Math.sinh'],
  // core-js makes its replacements print as `[native code]`; the native one tells the truth.
  [Function.prototype, 'toString', 'Function.prototype.toString'],
];

export interface SavedNatives {
  descriptors: Array<{ builtin: Builtin; descriptor: PropertyDescriptor | undefined }>;
}

/**
 * Remembers the built-ins core-js would replace. Call before the SDK is first loaded.
 * @example const saved = saveNatives(); require('webex'); restoreNatives(saved);
 */
export function saveNatives(): SavedNatives {
  return {
    descriptors: CORE_JS_REPLACED.map((builtin) => ({
      builtin,
      descriptor: Object.getOwnPropertyDescriptor(builtin[0], builtin[1]),
    })),
  };
}

/**
 * Puts back the saved built-ins that were replaced since; returns the names it restored.
 * @example restoreNatives(saved) // ['parseInt', 'String.prototype.trim', …]
 */
export function restoreNatives(saved: SavedNatives): string[] {
  const restored: string[] = [];
  for (const { builtin, descriptor } of saved.descriptors) {
    const [owner, key, label] = builtin;
    if (!descriptor) continue;
    const now = Object.getOwnPropertyDescriptor(owner, key);
    if (now?.value === descriptor.value) continue;
    Object.defineProperty(owner, key, descriptor);
    restored.push(label);
  }
  return restored;
}
