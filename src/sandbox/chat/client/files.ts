/**
 * A message's files as download links. Webex file URLs need the user's token, so the page
 * fetches each one and offers it from a blob URL under the name the server gave it.
 */
import type { WebexApi } from './api.js';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A list with one link per file; `keepUrl` is told every blob URL so it can be revoked later.
 * @example body.append(renderFiles(message.files, api, (url) => blobUrls.push(url)));
 */
export function renderFiles(
  urls: string[],
  api: WebexApi,
  keepUrl: (objectUrl: string) => void,
): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'files';
  for (const url of urls) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'file loading';
    link.textContent = 'Loading attachment…';
    item.append(link);
    list.append(item);
    api
      .download(url)
      .then(({ blob, filename }) => {
        const objectUrl = URL.createObjectURL(blob);
        keepUrl(objectUrl);
        link.href = objectUrl;
        link.download = filename;
        link.textContent = filename;
        const size = document.createElement('span');
        size.className = 'file-size';
        size.textContent = formatSize(blob.size);
        link.append(size);
        link.classList.remove('loading');
      })
      .catch((error: unknown) => {
        link.classList.replace('loading', 'unavailable');
        link.textContent = `Attachment unavailable: ${
          error instanceof Error ? error.message : String(error)
        }`;
      });
  }
  return list;
}
