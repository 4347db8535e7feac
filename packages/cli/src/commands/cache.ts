import type { Argv, CommandModule } from 'yargs';
import { ElasticityError } from '@elasticity/core/light';

interface ServeArgs {
  port: number;
  dir: string;
  host: string;
  token?: string;
  'read-token'?: string;
  'max-body-mb': number;
}

/** The flag (and environment variable) behind each option of startCacheServer, for error messages. */
const FLAGS: Record<string, string> = {
  port: '--port',
  host: '--host',
  dir: '--dir',
  token: '--token (or ELASTICITY_CACHE_TOKEN)',
  readToken: '--read-token (or ELASTICITY_CACHE_READ_TOKEN)',
  maxBodyBytes: '--max-body-mb',
};

const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'serve Nx\'s self-hosted remote cache (GET/PUT /v1/cache/HASH) from a folder, until SIGINT or SIGTERM',
  builder: (y: Argv) =>
    y
      .option('port', { type: 'number', demandOption: true, describe: 'port to listen on (0: any free port)' })
      .option('dir', { type: 'string', demandOption: true, describe: 'folder of cache entries (created if missing; one server per folder)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (0.0.0.0 for every interface)' })
      .option('token', { type: 'string', describe: 'read-write bearer token (default: $ELASTICITY_CACHE_TOKEN)' })
      .option('read-token', { type: 'string', describe: 'read-only bearer token (default: $ELASTICITY_CACHE_READ_TOKEN)' })
      .option('max-body-mb', { type: 'number', default: 2048, describe: 'largest accepted upload, in MiB' }) as unknown as Argv<ServeArgs>,
  handler: async (args) => {
    const token = args.token || process.env.ELASTICITY_CACHE_TOKEN;
    const readToken = args['read-token'] || process.env.ELASTICITY_CACHE_READ_TOKEN || undefined;
    if (!token) throw new ElasticityError('a read-write token is required', { field: FLAGS.token });
    if (!(args['max-body-mb'] > 0)) throw new ElasticityError(`must be a positive number of MiB, got ${args['max-body-mb']}`, { field: FLAGS.maxBodyBytes });
    const { startCacheServer, CacheServerOptionError } = await import('@elasticity/remote-cache');
    let server: Awaited<ReturnType<typeof startCacheServer>>;
    try {
      server = await startCacheServer({
        port: args.port, host: args.host, dir: args.dir, token, readToken, maxBodyBytes: Math.floor(args['max-body-mb'] * 1024 * 1024),
      });
    } catch (error) {
      if (error instanceof CacheServerOptionError) throw new ElasticityError(error.reason, { field: FLAGS[error.option] ?? error.option, cause: error });
      throw error;
    }
    // Until the first SIGINT or SIGTERM: then finish the requests in flight and stop (a second signal kills at once).
    await new Promise<void>((resolve, reject) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close().then(resolve, reject);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};

export const cacheCommand: CommandModule = {
  command: 'cache <action>',
  describe: 'a shared cache for Nx: `cache serve` runs a server for Nx\'s self-hosted remote cache protocol',
  builder: (y: Argv) => y.command(serveCommand).demandCommand(1, 'name an action: serve'),
  handler: () => {},
};
