/**
 * Markdown to safe HTML for messages and card text: `marked` parses, DOMPurify removes
 * anything that could run (scripts, event handlers, `javascript:` links). Message content is
 * never put into the page any other way.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/** Webex renders a message's single newlines as line breaks; cards follow CommonMark. */
const messageMarkdown = new Marked({ gfm: true, breaks: true, async: false });
const cardMarkdown = new Marked({ gfm: true, breaks: false, async: false });

/** `<@personId:ID|Name>`, `<@personEmail:EMAIL|Name>` and `<@all>`: Webex's mention markup. */
const MENTION = /<@(?:(?:personId|personEmail):[^|>]+\|([^>]*)|(all))>/g;

// Links open outside the chat page, without giving the new tab a handle on it.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Shows mentions as highlighted names (the markup itself would be dropped as unknown HTML). */
function mentionsToHtml(markdown: string): string {
  return markdown.replace(
    MENTION,
    (_all, name: string | undefined, everyone: string | undefined) =>
      `<span class="mention">@${escapeHtml(name ?? everyone ?? '')}</span>`,
  );
}

function sanitize(html: string): string {
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

/**
 * A message's markdown as sanitised HTML.
 * @example messageHtml('**Done.** <@personId:X|Ada>') // '<p><strong>Done.</strong> <span class="mention">@Ada</span></p>'
 */
export function messageHtml(markdown: string): string {
  return sanitize(messageMarkdown.parse(mentionsToHtml(markdown)) as string);
}

/**
 * A card TextBlock's markdown as sanitised HTML (for the Adaptive Cards renderer).
 * @example cardTextHtml('Viewed by **3** people') // '<p>Viewed by <strong>3</strong> people</p>'
 */
export function cardTextHtml(markdown: string): string {
  return sanitize(cardMarkdown.parse(markdown) as string);
}
