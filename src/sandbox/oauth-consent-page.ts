/**
 * The HTML pages of the sandbox's OAuth `/authorize` endpoint: a consent page shaped like
 * Webex's, and an error page for requests that must not be redirected. Self-contained (inline
 * CSS, no scripts, no external assets); every value is escaped.
 */

/**
 * Escapes text for HTML element content and double-quoted attributes.
 * @example escapeHtml('<b>"x"</b>') // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Plain-words descriptions of the scopes the bot asks for; others are shown as-is. */
const SCOPE_WORDS: Record<string, string> = {
  'spark:all': 'Do everything you can do in Webex',
  'spark:people_read': 'Read your profile: name, email address and time zone',
  'spark:kms': 'Use encryption keys for your content',
  'meeting:recordings_read': 'See your meeting recordings and who viewed or downloaded them',
  'meeting:admin_recordings_read':
    'As an administrator, see the recordings of everyone on your sites and who viewed or downloaded them',
};

/** The plain-words description of a scope. */
export function describeScope(scope: string): string {
  return SCOPE_WORDS[scope] ?? scope;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:520px;margin:48px auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px 32px}
h1{font-size:20px;margin:0 0 16px}
h2{font-size:14px;text-transform:uppercase;letter-spacing:.04em;color:#5c6670;margin:20px 0 8px}
ul{margin:0;padding-left:20px}
fieldset{border:0;margin:0;padding:0}
label{display:flex;gap:10px;align-items:center;padding:8px 10px;border:1px solid #d8dde3;border-radius:8px;margin-bottom:6px;cursor:pointer}
label small{color:#5c6670}
.actions{display:flex;gap:12px;justify-content:flex-end;margin-top:24px}
button{font:inherit;padding:8px 20px;border-radius:20px;border:1px solid #5c6670;background:#fff;cursor:pointer}
button.accept{background:#0a7d3e;border-color:#0a7d3e;color:#fff}
.note{color:#5c6670;font-size:13px;margin-top:16px}
.error{color:#a4161a}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A person offered under "Sign in as". */
export interface ConsentPerson {
  id: string;
  displayName: string;
  email: string;
  admin: boolean;
}

/** What the consent page shows and posts back. */
export interface ConsentPageInput {
  appName: string;
  scopes: string[];
  people: ConsentPerson[];
  selectedPersonId?: string;
  /** Where the form posts, e.g. `/v1/authorize`. */
  action: string;
  /** The original /authorize parameters, echoed as hidden inputs. */
  hidden: Record<string, string>;
}

/**
 * The consent page: "<app> would like to access your Webex account", the scopes in plain
 * words, a "Sign in as" choice and Accept / Decline buttons.
 * @example renderConsentPage({ appName: 'Audit', scopes: ['spark:people_read'], people, action: '/v1/authorize', hidden: {} })
 */
export function renderConsentPage(input: ConsentPageInput): string {
  const title = `${input.appName} would like to access your Webex account`;
  const scopes = input.scopes.map((s) => `<li>${escapeHtml(describeScope(s))}</li>`).join('\n');
  const selected = input.selectedPersonId ?? input.people[0]?.id;
  const people = input.people
    .map(
      (p) =>
        `<label><input type="radio" name="personId" value="${escapeHtml(p.id)}"${
          p.id === selected ? ' checked' : ''
        } required> <span>${escapeHtml(p.displayName)} <small>${escapeHtml(p.email)}${
          p.admin ? ' · administrator' : ''
        }</small></span></label>`,
    )
    .join('\n');
  const hidden = Object.entries(input.hidden)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<form method="post" action="${escapeHtml(input.action)}">
${hidden}
<h2>It will be able to</h2>
<ul>
${scopes}
</ul>
<h2>Sign in as</h2>
<fieldset>
${people}
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="decline">Decline</button>
<button type="submit" name="decision" value="accept" class="accept">Accept</button>
</div>
<p class="note">Webex sandbox: nothing here leaves this machine.</p>
</form>`,
  );
}

/**
 * The page for requests that must not be redirected (unknown client, unregistered
 * redirect_uri), as OAuth 2.0 requires.
 * @example renderErrorPage('The redirect_uri is not registered for this integration.')
 */
export function renderErrorPage(message: string): string {
  return page(
    'Webex authorization error',
    `<h1>Authorization error</h1>\n<p class="error">${escapeHtml(message)}</p>`,
  );
}
