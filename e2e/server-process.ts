/** Start a Tonle server process (with the demo dataset) and wait until it listens; used by global setup and by tests
 * that must stop and restart their own server. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  url: string;
  pid: number;
  adminPassword: string;
  child: ChildProcess;
}

export function startServer(port: number, env: NodeJS.ProcessEnv, opts: { demo?: boolean; detached?: boolean } = {}): Promise<Started> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', 'src/server/main.ts', ...(opts.demo === false ? [] : ['--demo'])];
    const child = spawn(process.execPath, args, {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    });
    let out = '';
    let password = '';
    const timer = setTimeout(() => reject(new Error(`server on ${port} did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      password ||= /one-time password: (\S+)/.exec(out)?.[1] ?? '';
      const url = /Tonle is running at (\S+)/.exec(out)?.[1];
      // main.ts prints its start-up lines in one write; a restarted server prints no one-time password.
      if (url) {
        clearTimeout(timer);
        resolve({ url, pid: child.pid!, adminPassword: password, child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server on ${port} exited with ${code}:\n${out}`));
    });
  });
}

/** Stop a server started by startServer and wait for it to exit. */
export function stopServer(s: Started, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill(signal);
  });
}
