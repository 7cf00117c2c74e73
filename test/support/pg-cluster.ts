/**
 * A throwaway PostgreSQL server for tests: Debian's server binaries (`.ci/run` installs the `postgresql` package),
 * a fresh cluster in a temporary folder, listening on 127.0.0.1 only, on a free port, with its socket in that
 * folder, and without fsync (nothing in it outlives the test). `stop()` stops it at once and removes the folder.
 * PostgreSQL refuses to run as root: as root, the folder is given to the `postgres` user (which the Debian
 * package creates) and initdb and pg_ctl run as that user through runuser.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PgCluster {
  /** `postgres://muster@127.0.0.1:PORT/postgres`; the user `muster` is the superuser, trusted without password */
  url: string;
  port: number;
  /** Stops the server at once, as a crash would, keeping its data (clients see their connections drop). */
  pause(): Promise<void>;
  /** Starts it again on the same port and data, after `pause` (it recovers from its log first). */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const INSTALL = 'install PostgreSQL to run this test (Debian: apt-get install -y postgresql; .ci/run does)';

/** The folder holding initdb and pg_ctl: `pg_config --bindir`, Debian's /usr/lib/postgresql/N/bin (newest), PATH. */
export function pgBinDir(): string {
  const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    // no pg_config (it comes with libpq-dev or the server): look further
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    candidates.push(
      ...readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin')),
    );
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  const found = candidates.find(hasServer);
  if (!found) throw new Error(`PostgreSQL's server programs (initdb, pg_ctl) were not found: ${INSTALL}`);
  return found;
}

const asRoot = process.getuid?.() === 0;

function command(program: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
}

/** Runs a server program, as the `postgres` user when this process is root; rejects with its output. */
function run(program: string, args: string[], cwd: string): Promise<void> {
  const [file, argv] = command(program, args);
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${program} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve();
    });
  });
}

/** A port nobody listens on at this moment (the server may still lose it to another process: see the retry). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Makes `dir` the `postgres` user's when running as root (the server refuses a data folder it does not own). */
function giveToPostgres(dir: string): void {
  if (!asRoot) return;
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    throw new Error(`running as root needs the postgres user to start PostgreSQL: ${INSTALL}`);
  }
  chownSync(dir, uid, gid);
}

/** Starts a fresh cluster; the caller stops it (afterAll). */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'muster-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pgCtl = join(bin, 'pg_ctl');
  const stopNow = () => {
    // after a failed start, or at exit when stop() was not called: synchronous, as nothing else runs any more
    if (existsSync(join(data, 'postmaster.pid')))
      try {
        execFileSync(...command(pgCtl, ['-D', data, '-m', 'immediate', 'stop']), {
          cwd: dir,
          stdio: 'ignore',
        });
      } catch {
        // already stopped
      }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    giveToPostgres(dir);
    await run(
      join(bin, 'initdb'),
      ['-D', data, '-A', 'trust', '-U', 'muster', '--no-sync', '--encoding=UTF8', '--locale=C'],
      dir,
    );
    // Another process may take the free port between the check and the server's start: try a few.
    let port = 0;
    let options = '';
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
      try {
        await run(pgCtl, ['-D', data, '-l', log, '-w', '-o', options, 'start'], dir);
        break;
      } catch (e) {
        const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt >= 3 || !/could not bind|Address already in use/i.test(serverLog))
          throw new Error(`${(e as Error).message}\n${serverLog}`);
      }
    }
    process.once('exit', stopNow);
    return {
      url: `postgres://muster@127.0.0.1:${port}/postgres`,
      port,
      async pause() {
        await run(pgCtl, ['-D', data, '-m', 'immediate', 'stop'], dir);
      },
      async resume() {
        await run(pgCtl, ['-D', data, '-l', log, '-w', '-o', options, 'start'], dir);
      },
      async stop() {
        process.removeListener('exit', stopNow);
        if (existsSync(join(data, 'postmaster.pid')))
          await run(pgCtl, ['-D', data, '-m', 'immediate', 'stop'], dir);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    stopNow();
    throw e;
  }
}
