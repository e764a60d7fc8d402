/**
 * The name the framework gives its webhooks, and checks every event's `name` against:
 * base64 of `webhookUrl.split('/')[2] + ' ' + botEmail`, the URL's authority exactly as
 * written (`new URL().host` would lower-case it and drop a default port, giving another name,
 * so a second pair of webhooks and events the framework drops).
 * @example frameworkWebhookName('https://Bot.Example.com:443/webhooks/webex', 'bot@webex.bot')
 * // base64 of 'Bot.Example.com:443 bot@webex.bot'
 */
export function frameworkWebhookName(webhookUrl: string, botEmail: string): string {
  return Buffer.from(`${webhookUrl.split('/')[2]} ${botEmail}`).toString('base64');
}
