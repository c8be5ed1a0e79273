import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app lives in src/web; it is built into dist/web, which the server serves.
export default defineConfig({
  root: 'src/web',
  publicDir: 'public',
  plugins: [react()],
  build: { outDir: `${import.meta.dirname}/dist/web`, emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
