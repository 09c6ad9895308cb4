import { defineConfig } from "vite";

// Preact's automatic JSX runtime through the bundler's own transform: no framework plugin.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { target: "es2022", outDir: "dist", assetsDir: "assets", sourcemap: false, reportCompressedSize: false, chunkSizeWarningLimit: 700 },
  server: { host: "127.0.0.1" },
});
