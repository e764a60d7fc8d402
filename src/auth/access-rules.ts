/**
 * Who may use the bot and who counts as an admin: one rule each, used by typed commands,
 * card clicks and the OAuth callback alike. Pure.
 */

/**
 * True when `email` belongs to one of `allowedDomains` (ALLOWED_EMAIL_DOMAINS); an empty
 * list lets anyone in. Domains compare case-insensitively.
 * @example isAllowedEmail('Ann@Corp.Example', ['corp.example']) // true
 */
export function isAllowedEmail(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  return allowedDomains.includes(email.slice(at + 1).toLowerCase());
}

/**
 * True when a linked account was granted every admin scope the bot asks for.
 * @example hasAdminScopes(['meeting:admin_recordings_read'], ['meeting:admin_recordings_read']) // true
 */
export function hasAdminScopes(
  granted: readonly string[],
  adminScopes: readonly string[],
): boolean {
  return adminScopes.length > 0 && adminScopes.every((scope) => granted.includes(scope));
}
