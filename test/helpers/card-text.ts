/**
 * What a person reads on a card: every TextBlock text and fact, with the escaping that only
 * stops Webex from rendering markdown or links taken off again.
 */
export function cardLines(card: unknown): string[] {
  const lines: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') lines.push(element.text);
    if (element.type === 'FactSet' && Array.isArray(element.facts)) {
      for (const fact of element.facts as Array<{ title: string; value: string }>) {
        lines.push(`${fact.title}: ${fact.value}`);
      }
    }
    Object.values(element).forEach(visit);
  };
  visit(card);
  return lines.map(unescapeDisplay);
}

/** All of {@link cardLines} as one string. */
export function cardText(card: unknown): string {
  return cardLines(card).join('\n');
}

/** Removes the word joiners and markdown backslashes the escaper adds. */
export function unescapeDisplay(text: string): string {
  return text.replace(/\u2060/g, '').replace(/\\([\\`*_[\]()<>#|~&+\-.!])/g, '$1');
}

/** The card of a sandbox message, if it has one. */
export function cardOf(message: { attachments?: Array<{ content: unknown }> }): unknown {
  return message.attachments?.[0]?.content;
}
