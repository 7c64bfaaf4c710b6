import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The gateway serves dist/ at / with `script-src 'self'`: nothing may be inlined into index.html.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: "dist",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run dev` against a running platform: the API and the event stream through the gateway.
    proxy: { "/api": process.env.DMLP_GATEWAY_URL ?? "http://127.0.0.1:8000" },
  },
});
