import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/ at `/` and the API on the same origin; in development Vite forwards the API to it
// so the session cookie stays first-party (SameSite=Strict), exactly as in production.
const apiTarget = process.env.KAPSTONE_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The server's CSP is `script-src 'self'`: every script must be a file, never inlined into index.html.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});
