/**
 * Webex markdown mentions, as pure functions: `<@personId:ID|Name>`, `<@personEmail:EMAIL|Name>`
 * and `<@all>` become a plain name in `text`, a `<spark-mention>` in `html`, and the IDs in
 * `mentionedPeople` / `mentionedGroups`, the way Webex stores a message that mentions people.
 */

/** What a mention tag refers to; `undefined` when nobody in the sandbox matches. */
export interface MentionTarget {
  id: string;
  displayName: string;
}

/** Finds people for mention tags; kept abstract so this module stays free of state. */
export interface MentionDirectory {
  byId(id: string): MentionTarget | undefined;
  byEmail(email: string): MentionTarget | undefined;
}

export interface RenderedMentions {
  /** The input with every tag replaced by the mentioned name. */
  text: string;
  /** The input, HTML-escaped, with tags replaced by `<spark-mention>` elements, in a `<p>`. */
  html: string;
  /** Person IDs mentioned, in order of first appearance, without duplicates. */
  mentionedPeople: string[];
  /** `['all']` when `<@all>` was used. */
  mentionedGroups: string[];
}

const MENTION_TAG = /<@(?:(personId|personEmail):([^|>]+)|(all))(?:\|([^>]*))?>/g;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Resolves the mention tags in a markdown (or text) string.
 * @example
 * renderMentions('hi <@personEmail:bot@webex.bot|Bot>', directory)
 * // { text: 'hi Bot', html: '<p>hi <spark-mention data-object-type="person" data-object-id="…">Bot</spark-mention></p>',
 * //   mentionedPeople: ['…'], mentionedGroups: [] }
 */
export function renderMentions(input: string, directory: MentionDirectory): RenderedMentions {
  const mentionedPeople: string[] = [];
  const mentionedGroups: string[] = [];
  let text = '';
  let html = '';
  let last = 0;
  for (const match of input.matchAll(MENTION_TAG)) {
    const [tag, kind, value, all, label] = match;
    const before = input.slice(last, match.index);
    text += before;
    html += escapeHtml(before);
    last = match.index + tag.length;
    if (all) {
      const name = label || 'All';
      if (!mentionedGroups.includes('all')) mentionedGroups.push('all');
      text += name;
      html += `<spark-mention data-object-type="groupMention" data-group-type="all">${escapeHtml(name)}</spark-mention>`;
      continue;
    }
    const target =
      kind === 'personId' ? directory.byId(value.trim()) : directory.byEmail(value.trim());
    const name = label || target?.displayName || value;
    text += name;
    if (!target) {
      html += escapeHtml(name);
      continue;
    }
    if (!mentionedPeople.includes(target.id)) mentionedPeople.push(target.id);
    html += `<spark-mention data-object-type="person" data-object-id="${target.id}">${escapeHtml(name)}</spark-mention>`;
  }
  const rest = input.slice(last);
  text += rest;
  html += escapeHtml(rest);
  return { text, html: `<p>${html}</p>`, mentionedPeople, mentionedGroups };
}
