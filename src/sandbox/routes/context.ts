/** What every core sandbox router is built from. */
import type { SandboxState } from '../state';
import type { SandboxWorld } from '../world';

export interface RouteContext {
  state: SandboxState;
  world: SandboxWorld;
}

/** The first value of a query parameter, or undefined (Express may give arrays). */
export function queryString(value: unknown): string | undefined {
  if (Array.isArray(value)) return queryString(value[0]);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The API base (`http://host:port/v1`) as the caller reached it. */
export function apiBase(req: { protocol: string; get(name: string): string | undefined }): string {
  return `${req.protocol}://${req.get('host')}/v1`;
}
