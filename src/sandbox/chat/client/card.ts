/**
 * Draws a message's Adaptive Card with Microsoft's renderer and wires its buttons as a Webex
 * client does: Action.Submit posts an attachment action with the card's inputs, Action.OpenUrl
 * opens the link in a new tab (the consent page, for account linking).
 */
import { AdaptiveCard, OpenUrlAction, SubmitAction, type Action } from 'adaptivecards';
import { webexHostConfig } from './host-config.js';
import { cardTextHtml } from './markdown.js';

/** What a card's buttons do; the conversation supplies them. */
export interface CardActions {
  /** An Action.Submit was pressed; `inputs` is its data merged with the card's input values. */
  submit(inputs: object): Promise<void>;
  /** An Action.OpenUrl was pressed. */
  openUrl(url: string): void;
}

// TextBlocks are markdown on Webex; the renderer asks this hook to turn them into HTML.
AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = cardTextHtml(text);
  result.didProcess = true;
};

/** Only web links open: a card must not be able to run `javascript:` in the page. */
function isWebUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url, window.location.href).protocol);
  } catch {
    return false;
  }
}

function statusLine(): HTMLElement {
  const status = document.createElement('div');
  status.className = 'card-status';
  status.setAttribute('role', 'status');
  return status;
}

/**
 * Renders `content` (an Adaptive Card's JSON) or, if the renderer rejects it, says so.
 * @example list.append(renderCard(message.attachments[0].content, { submit, openUrl }));
 */
export function renderCard(content: unknown, actions: CardActions): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'card';
  const status = statusLine();

  const card = new AdaptiveCard();
  card.hostConfig = webexHostConfig();
  card.onExecuteAction = (action: Action) => {
    if (action instanceof OpenUrlAction) {
      if (action.url && isWebUrl(action.url)) actions.openUrl(action.url);
      return;
    }
    if (action instanceof SubmitAction) {
      status.textContent = 'Sending…';
      wrapper.classList.add('busy');
      actions
        .submit(action.data ?? {})
        .then(() => {
          status.textContent = '';
        })
        .catch((error: unknown) => {
          status.textContent = error instanceof Error ? error.message : String(error);
        })
        .finally(() => wrapper.classList.remove('busy'));
    }
  };

  try {
    card.parse(content);
    const element = card.render();
    if (!element) throw new Error('the renderer produced nothing');
    wrapper.append(element, status);
  } catch (error) {
    wrapper.classList.add('card-error');
    wrapper.textContent = `This card could not be shown: ${
      error instanceof Error ? error.message : String(error)
    }`;
  }
  return wrapper;
}
