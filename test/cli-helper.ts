/** Runs the command-line tool (src/server/cli.ts) in a child process against a PGlite data folder. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '..');

export function runCli(args: string[], dataDir: string): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, TONLE_DATA_DIR: dataDir };
  delete env.DATABASE_URL; // always the temporary PGlite folder, never a shared server
  return new Promise((resolve, reject) => {
    execFile(join(ROOT, 'node_modules/.bin/tsx'), ['src/server/cli.ts', ...args], { cwd: ROOT, env, timeout: 90_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
