/**
 * An Adaptive Cards host config close to how Webex's clients draw cards: the system font,
 * Webex's text sizes and colours, roomy padding, pill-shaped buttons in a row (the pill shape
 * itself is in app.css). Built only from local values: no web fonts, no remote images.
 */
import { HostConfig } from 'adaptivecards';

const SYSTEM_FONTS =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MONOSPACE_FONTS = 'ui-monospace, "SF Mono", Menlo, Consolas, monospace';

/** Foreground colours shared by both container styles. */
const FOREGROUND = {
  default: { default: '#1d1d1d', subtle: '#6b6b6b' },
  dark: { default: '#000000', subtle: '#4d4d4d' },
  light: { default: '#ffffff', subtle: '#e6e6e6' },
  accent: { default: '#0b6ec5', subtle: '#0b6ec5cc' },
  good: { default: '#1b7f4b', subtle: '#1b7f4bcc' },
  warning: { default: '#a15c00', subtle: '#a15c00cc' },
  attention: { default: '#c7232e', subtle: '#c7232ecc' },
};

/**
 * The host config object (plain JSON, as the renderer's `HostConfig` takes it).
 * @example new HostConfig(WEBEX_HOST_CONFIG)
 */
export const WEBEX_HOST_CONFIG = {
  supportsInteractivity: true,
  fontTypes: {
    default: {
      fontFamily: SYSTEM_FONTS,
      fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: MONOSPACE_FONTS,
      fontSizes: { small: 12, default: 13, medium: 15, large: 18, extraLarge: 22 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
  },
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 28, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#e2e2e2' },
  imageSizes: { small: 32, medium: 64, large: 128 },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: FOREGROUND },
    emphasis: { backgroundColor: '#f5f5f5', foregroundColors: FOREGROUND },
    accent: { backgroundColor: '#e8f2fc', foregroundColors: FOREGROUND },
    good: { backgroundColor: '#e7f5ec', foregroundColors: FOREGROUND },
    attention: { backgroundColor: '#fdecec', foregroundColors: FOREGROUND },
    warning: { backgroundColor: '#fff4e0', foregroundColors: FOREGROUND },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 12 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    iconPlacement: 'leftOfTitle',
  },
  factSet: {
    title: { weight: 'bolder', size: 'default', color: 'default', wrap: true, maxWidth: 180 },
    value: { weight: 'default', size: 'default', color: 'default', wrap: true },
    spacing: 12,
  },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'bolder' },
    },
    errorMessage: { color: 'attention', size: 'small' },
  },
};

/**
 * A fresh renderer host config with Webex's look.
 * @example card.hostConfig = webexHostConfig();
 */
export function webexHostConfig(): HostConfig {
  return new HostConfig(WEBEX_HOST_CONFIG);
}
