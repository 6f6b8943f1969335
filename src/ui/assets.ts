import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';
import { CLIENT_SCRIPT, STYLESHEET } from './client-script.js';

/** Serves /assets/*: the client script, the stylesheet and uPlot (read once from its package). */
export function registerAssets(app: Hono): void {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('uplot/dist/uPlot.iife.min.js').replace(/uPlot\.iife\.min\.js$/, '');
  const files: Record<string, { body: string; type: string }> = {
    'app.js': { body: CLIENT_SCRIPT, type: 'text/javascript; charset=utf-8' },
    'app.css': { body: STYLESHEET, type: 'text/css; charset=utf-8' },
    'uplot.js': { body: readFileSync(`${dir}uPlot.iife.min.js`, 'utf8'), type: 'text/javascript; charset=utf-8' },
    'uplot.css': { body: readFileSync(`${dir}uPlot.min.css`, 'utf8'), type: 'text/css; charset=utf-8' },
  };
  app.get('/assets/:file', (c) => {
    const f = files[c.req.param('file')];
    if (!f) return c.notFound();
    return c.body(f.body, 200, { 'content-type': f.type, 'cache-control': 'public, max-age=3600' });
  });
}
