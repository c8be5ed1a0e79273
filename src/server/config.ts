import { resolve } from 'node:path';

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  host: string;
  port: number;
  webDir: string;
  secureCookies: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.TONLE_DATA_DIR || 'data'),
    host: env.HOST || '127.0.0.1',
    port: Number(env.PORT || 3000),
    webDir: resolve(env.TONLE_WEB_DIR || 'dist/web'),
    secureCookies: env.TONLE_SECURE_COOKIES === '1',
  };
}
