// Plain HTTP GETs from the test process, for the pages that containers started by the tests serve.
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FetchPageOptions {
  /** How long to keep trying; default 20 s. */
  readonly timeoutMs?: number;
}

/** GETs `url` until it answers 200 and resolves with the body: a new container's first answer can take seconds. */
export async function fetchPage(url: string, options: FetchPageOptions = {}): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    try {
      return await getText(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: 3_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: HTTP ${response.statusCode}`))));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer within 3 s`)));
    request.on('error', reject);
  });
}
